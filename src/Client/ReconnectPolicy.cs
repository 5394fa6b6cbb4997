namespace Sawt.Client;

/// <summary>
/// How a <see cref="SawtConnection"/> reconnects after its socket drops: exponential backoff from
/// <see cref="InitialDelay"/>, doubling up to <see cref="MaxDelay"/>, each delay shortened by a random fraction of
/// up to <see cref="Jitter"/> so that many clients of a restarted gateway do not return in step.
/// </summary>
public sealed record ReconnectPolicy
{
    /// <summary>No reconnection: a dropped connection stays down.</summary>
    public static ReconnectPolicy None { get; } = new() { MaxAttempts = 0 };

    /// <summary>Delay before the first attempt.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before the connection gives up; null: never gives up (until disposed).</summary>
    public int? MaxAttempts { get; init; } = 30;

    /// <summary>Largest fraction (0 to 1) by which a delay is randomly shortened.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>
    /// The delay before attempt <paramref name="attempt"/> (1, 2, ...): <see cref="InitialDelay"/> × 2^(attempt−1),
    /// at most <see cref="MaxDelay"/>, less <paramref name="random"/> (0 to 1) × <see cref="Jitter"/> of it.
    /// </summary>
    public TimeSpan DelayFor(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);

        // Doubling stops at 2^30: beyond it every delay is MaxDelay anyway, and the shift would overflow.
        var exponential = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (Math.Clamp(Jitter, 0, 1) * Math.Clamp(random, 0, 1))));
    }

    /// <summary>Whether attempt <paramref name="attempt"/> (1, 2, ...) may still be made.</summary>
    public bool Allows(int attempt) => MaxAttempts is not { } max || attempt <= max;
}
