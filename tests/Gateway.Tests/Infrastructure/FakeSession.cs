using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Sawt.Contracts.Sessions;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>One fake session: see <see cref="FakeSessionBackend"/> for its behaviour.</summary>
internal sealed class FakeSession(SessionStart start) : ISessionHandle
{
    private readonly Channel<SessionEvent> _events = Channel.CreateBounded<SessionEvent>(16);
    private readonly CancellationTokenSource _cancel = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly StringBuilder _buffer = new();
    private int _sequence;
    private double _audioMs;

    public SessionStart Start { get; } = start;

    public Guid SessionId { get; } = Guid.NewGuid();

    public IAsyncEnumerable<SessionEvent> Events => Start.Text == "throw:events" ? ThrowAfterOneAsync() : _events.Reader.ReadAllAsync();

    public volatile bool CancelCalled;

    public volatile bool Disposed;

    public List<string> Appended { get; } = [];

    public void Run()
    {
        if (!Start.Incremental)
        {
            _ = ProduceAsync();
        }
    }

    public async Task AppendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        if (text == "gone")
        {
            // The session already ended on its own (its busy is on the stream, a little behind) and its grain is gone, so
            // the call meets a fresh activation that answers unavailable, as TtsSessionGrain does.
            _ = Task.Run(async () =>
            {
                await Task.Delay(50, CancellationToken.None);
                await WriteAsync(new SessionFailed("busy", "The generation worker is full.", true, 1));
                _events.Writer.TryComplete();
            }, CancellationToken.None);
            throw new SessionRejectedException("unavailable", "This session is no longer active in the cluster.", retryable: true, retryAfterSeconds: 1);
        }

        lock (Appended)
        {
            Appended.Add(text);
        }

        _buffer.Append(text);
        await Task.Yield();
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_buffer.Length > 0)
        {
            await EmitAsync(isFinal: false);
            _buffer.Clear();
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await EmitAsync(isFinal: true);
        _buffer.Clear();
        await WriteAsync(Completed());
        _events.Writer.TryComplete();
    }

    public Task CancelAsync(CancellationToken cancellationToken = default)
    {
        CancelCalled = true;
        if (!_cancel.IsCancellationRequested)
        {
            _cancel.Cancel();
            _events.Writer.TryWrite(new SessionFailed("cancelled", "Cancelled.", false, null));
            _events.Writer.TryComplete();
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private async Task ProduceAsync()
    {
        try
        {
            await Task.Delay(5, _cancel.Token);
            var text = Start.Text;
            if (text.StartsWith("fail:", StringComparison.Ordinal))
            {
                await EmitAsync(isFinal: false);
                await WriteAsync(new SessionFailed(text["fail:".Length..], "fake failure", true, 2));
                _events.Writer.TryComplete();
                return;
            }

            var (count, delay, big) = text switch
            {
                _ when text.StartsWith("slow", StringComparison.Ordinal) => (1000, 20, false),
                _ when text.StartsWith("flood", StringComparison.Ordinal) => (2000, 0, true),
                _ when text.StartsWith("chunks:", StringComparison.Ordinal) => (int.Parse(text["chunks:".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture), 2, false),
                _ => (4, 2, false),
            };
            for (var i = 0; i < count; i++)
            {
                await EmitAsync(isFinal: i == count - 1, big);
                if (delay > 0)
                {
                    await Task.Delay(delay, _cancel.Token);
                }
            }

            await WriteAsync(Completed());
            _events.Writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            // Cancelled: CancelAsync wrote the failure.
        }
    }

    private async IAsyncEnumerable<SessionEvent> ThrowAfterOneAsync()
    {
        await foreach (var item in _events.Reader.ReadAllAsync())
        {
            yield return item;
            throw new InvalidOperationException("fake event stream failure");
        }
    }

    private SessionCompleted Completed() => new(new SessionStats(12.5, 0.5, _sequence * 10, _audioMs / 1000, _sequence, 1));

    private async Task EmitAsync(bool isFinal, bool big = false)
    {
        var sequence = _sequence++;
        var rate = Start.Output.SampleRate ?? (Start.Output.Encoding is "mulaw" or "alaw" ? 8000 : 24000);
        var samples = big ? 16384 : 240 * (sequence + 1);
        var data = Encode(Start.Output.Encoding, samples, sequence);
        var duration = samples * 1000.0 / rate;
        var chunk = new AudioChunkEvent(sequence, data, Start.Output.Encoding, rate, _audioMs, duration, 0, Start.Text.Length, 0, 10, isFinal);
        _audioMs += duration;
        await WriteAsync(chunk);
    }

    private static byte[] Encode(string encoding, int samples, int sequence)
    {
        switch (encoding)
        {
            case "pcm_f32le":
                var floats = new float[samples];
                for (var i = 0; i < samples; i++)
                {
                    floats[i] = 0.2f * MathF.Sin((i + sequence) * 0.05f);
                }

                return MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();
            case "pcm_s16le":
                return new byte[samples * 2];
            default:
                return Enumerable.Repeat((byte)(sequence & 0xFF), samples).ToArray();
        }
    }

    private async Task WriteAsync(SessionEvent item)
    {
        await _write.WaitAsync();
        try
        {
            if (!_cancel.IsCancellationRequested)
            {
                await _events.Writer.WriteAsync(item, _cancel.Token);
            }
        }
        catch (ChannelClosedException)
        {
            // Cancelled meanwhile.
        }
        finally
        {
            _write.Release();
        }
    }
}
