using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>A session's events as a test sees them: the first audio, every audio chunk, and the terminal event.</summary>
internal sealed class SessionEvents
{
    private readonly TaskCompletionSource _firstAudio = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SessionEvent> _last = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamSubscriptionHandle<SessionEvent>? _handle;

    public List<AudioChunkEvent> Audio { get; } = [];

    /// <summary>The session's first event, naming its workers.</summary>
    public SessionStarted? Started { get; private set; }

    public Task FirstAudio => _firstAudio.Task;

    /// <summary>The terminal event (<see cref="SessionCompleted"/> or <see cref="SessionFailed"/>).</summary>
    public Task<SessionEvent> Last => _last.Task;

    /// <summary>Subscribes before the session starts, as the gateway does, so nothing is missed.</summary>
    public static async Task<SessionEvents> SubscribeAsync(IClusterClient client, Guid sessionId)
    {
        var events = new SessionEvents();
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, sessionId));
        events._handle = await stream.SubscribeAsync(events.OnNextAsync);
        return events;
    }

    private async Task OnNextAsync(SessionEvent item, StreamSequenceToken? token)
    {
        switch (item)
        {
            case SessionStarted started:
                Started = started;
                break;
            case AudioChunkEvent chunk:
                Audio.Add(chunk);
                if (chunk.Data.Length > 0)
                {
                    _firstAudio.TrySetResult();
                }

                break;
            case SessionCompleted or SessionFailed:
                await _handle!.UnsubscribeAsync();
                _last.TrySetResult(item);
                break;
        }
    }
}
