namespace Sawt.Grains.Sessions;

/// <summary>Per-session limits (section <c>Sawt:Sessions</c>).</summary>
public sealed class SessionLimits
{
    public const string SectionName = "Sawt:Sessions";

    /// <summary>Longest text one session speaks, counting incremental pieces.</summary>
    public int MaxTextChars { get; set; } = 100_000;

    /// <summary>
    /// Most audio one session may produce, sentence pauses included. A text whose pauses alone exceed it is refused at
    /// start; a session whose speech would exceed it ends with <c>audio_too_long</c> after the audio that fits. Bounds
    /// what one request costs (compute, stream traffic, a whole-body HTTP response).
    /// </summary>
    public double MaxAudioSeconds { get; set; } = 300;

    /// <summary>
    /// An incremental session that receives no text, flush or end for this long, while it has nothing left to say,
    /// ends with <c>input_timeout</c>. Bounds sessions whose client (or gateway) went away without ending them.
    /// </summary>
    public TimeSpan InputIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Most unacknowledged audio chunks a session keeps for a gateway whose stream stalled or lost its subscription (see
    /// <see cref="SessionReplayBuffer"/>); beyond it the oldest are dropped, and a context missing one of those ends
    /// <c>unavailable</c> as before. The gateway acknowledges every few chunks, so a healthy stream holds a handful.
    /// </summary>
    public int ReplayBufferChunks { get; set; } = 512;

    /// <summary>Most bytes of unacknowledged audio a session keeps for a replay (with <see cref="ReplayBufferChunks"/>).</summary>
    public long ReplayBufferBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long a session that ended stays active, holding its final event and unacknowledged audio, for a gateway that
    /// did not hear its end yet; it leaves at once when the gateway acknowledges the end. Longer than the gateway's
    /// <c>StreamProbeAfter</c> plus <c>StreamProbeTimeout</c>, or the replay comes too late.
    /// </summary>
    public TimeSpan ReplayRetention { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cut the final token's audio after STOP (the reference does; see docs/architecture.md).</summary>
    public bool TrimFinalToken { get; set; } = true;
}
