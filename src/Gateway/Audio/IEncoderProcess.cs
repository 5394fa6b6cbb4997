namespace Sawt.Gateway.Audio;

/// <summary>A running encoder: PCM goes into <see cref="Input"/>, encoded bytes come out of <see cref="Output"/>.</summary>
internal interface IEncoderProcess : IDisposable
{
    /// <summary>The encoder's stdin; disposing it is end of input.</summary>
    Stream Input { get; }

    /// <summary>The encoder's stdout; it ends when the encoder has written everything.</summary>
    Stream Output { get; }

    /// <summary>Whether the process has exited (and been reaped).</summary>
    bool HasExited { get; }

    /// <summary>Waits for the exit and returns the exit code.</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken = default);

    /// <summary>What the encoder wrote on stderr (its last few kilobytes), for the failure message.</summary>
    string ErrorOutput { get; }

    /// <summary>Kills the process now (cancellation, a client gone); <see cref="WaitForExitAsync"/> then reaps it.</summary>
    void Kill();
}
