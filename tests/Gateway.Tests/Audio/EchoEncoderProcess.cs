using System.IO.Pipelines;
using Sawt.Gateway.Audio;

namespace Sawt.Gateway.Tests.Audio;

/// <summary>
/// A scripted encoder process whose "encoding" is the identity: every byte written to its stdin comes out of its
/// stdout at once. It exits with <see cref="ExitCode"/> when its input ends, or with 137 when killed.
/// </summary>
internal sealed class EchoEncoderProcess : IEncoderProcess
{
    private readonly Pipe _pipe = new();
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EchoEncoderProcess(int exitCode = 0, string errorOutput = "")
    {
        ExitCode = exitCode;
        ErrorOutput = errorOutput;
        Input = new EndNotifyingStream(_pipe.Writer.AsStream(), () => _exit.TrySetResult(ExitCode));
        Output = _pipe.Reader.AsStream();
    }

    public int ExitCode { get; }

    public Stream Input { get; }

    public Stream Output { get; }

    public string ErrorOutput { get; }

    public bool HasExited => _exit.Task.IsCompleted;

    public int KillCount { get; private set; }

    public bool Disposed { get; private set; }

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    public void Kill()
    {
        KillCount++;
        _pipe.Writer.Complete();
        _exit.TrySetResult(137);
    }

    public void Dispose() => Disposed = true;

    /// <summary>Passes writes through; disposing it ends the input (stdin closed) and the process.</summary>
    private sealed class EndNotifyingStream(Stream inner, Action ended) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            ended();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                ended();
            }

            base.Dispose(disposing);
        }
    }
}
