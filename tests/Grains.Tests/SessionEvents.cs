using Orleans.Streams;
using Sawt.Contracts;
using Sawt.Contracts.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// A session's events as a test sees them, subscribed before the session starts (as the gateway does, so nothing is
/// missed): every event in order, the first audio, and the terminal event, after which it unsubscribes.
/// </summary>
internal sealed class SessionEvents
{
    private readonly List<SessionEvent> _all = [];
    private readonly TaskCompletionSource _firstAudio = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<List<SessionEvent>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<Task>? _onFirstAudio;
    private StreamSubscriptionHandle<SessionEvent>? _handle;

    private SessionEvents(Func<Task>? onFirstAudio)
    {
        _onFirstAudio = onFirstAudio;
    }

    public IEnumerable<AudioChunkEvent> Audio => _all.OfType<AudioChunkEvent>();

    /// <summary>The session's first event, naming its workers.</summary>
    public SessionStarted? Started => _all.OfType<SessionStarted>().FirstOrDefault();

    public Task FirstAudio => _firstAudio.Task;

    /// <summary>Every event, once the terminal one (<see cref="SessionCompleted"/> or <see cref="SessionFailed"/>) arrived.</summary>
    public Task<List<SessionEvent>> Completion => _completion.Task;

    /// <summary>The terminal event.</summary>
    public async Task<SessionEvent> Last() => (await Completion)[^1];

    /// <param name="client">The cluster client to subscribe through.</param>
    /// <param name="sessionId">The session's id (its stream's key).</param>
    /// <param name="onFirstAudio">Runs inside the delivery of the first audio chunk (e.g. to cancel mid-stream).</param>
    public static async Task<SessionEvents> SubscribeAsync(IClusterClient client, Guid sessionId, Func<Task>? onFirstAudio = null)
    {
        var events = new SessionEvents(onFirstAudio);
        var stream = client.GetStreamProvider(StreamNames.Provider).GetStream<SessionEvent>(StreamId.Create(StreamNames.SessionNamespace, sessionId));
        events._handle = await stream.SubscribeAsync(events.OnNextAsync);
        return events;
    }

    private async Task OnNextAsync(SessionEvent item, StreamSequenceToken? token)
    {
        _all.Add(item);
        switch (item)
        {
            case AudioChunkEvent { Data.Length: > 0 } when !_firstAudio.Task.IsCompleted:
                _firstAudio.TrySetResult();
                if (_onFirstAudio is not null)
                {
                    await _onFirstAudio();
                }

                break;
            case SessionCompleted or SessionFailed:
                await _handle!.UnsubscribeAsync();
                _completion.TrySetResult([.. _all]);
                break;
        }
    }
}
