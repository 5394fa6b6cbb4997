namespace Sawt.Bench.Load;

/// <summary>
/// The figures of a load run. Times in milliseconds; <see cref="RealTimeFactor"/> is audio seconds over wall seconds
/// per completed utterance (above 1: faster than real time).
/// </summary>
/// <param name="Utterances">Utterances planned (contexts × turns).</param>
/// <param name="Completed">Utterances one of whose attempts ended with <c>done</c>.</param>
/// <param name="Attempts">Wire contexts opened, retries included.</param>
/// <param name="Retries">Attempts after an utterance's first.</param>
/// <param name="Outcomes">How each attempt ended, by code (<c>done</c>, <c>busy</c>, ...), as the stream's terminal says (the client's view when none came).</param>
/// <param name="Refusals">Errors that ended nothing (<c>context_ended: false</c>, or naming no context), by code.</param>
/// <param name="TimeToFirstAudio">Per completed utterance, from its first <c>text</c> sent to its first audio frame with samples received.</param>
/// <param name="ServerTimeToFirstAudio">Per completed utterance, <c>done</c>'s <c>time_to_first_audio_ms</c> (from the session's start).</param>
/// <param name="InterChunkGaps">Between consecutive <c>audio</c> messages of a completed utterance, from its first audio on.</param>
/// <param name="RealTimeFactor">Per completed utterance: audio seconds over seconds from first text to <c>done</c>.</param>
/// <param name="TimeToBusy">Per attempt refused <c>busy</c>, from its first <c>text</c> sent to the refusal: how soon a full cluster says so.</param>
/// <param name="Chunks">Audio chunks received by completed utterances.</param>
/// <param name="AudioSeconds">Audio received by completed utterances.</param>
/// <param name="BusyAfterStarted">Attempts ended by <c>busy</c> after their <c>started</c>: the session began, then its text found the worker full.</param>
/// <param name="BusyAfterAudio">Of those, the attempts that had already received audio (a later sentence was refused; the utterance was cut off).</param>
/// <param name="ViolationsByKind">Verification failures by kind (every kind listed, zeros included).</param>
/// <param name="Violations">The failures themselves (the first 200).</param>
internal sealed record LoadResults(
    int Utterances,
    int Completed,
    int Attempts,
    int Retries,
    IReadOnlyDictionary<string, int> Outcomes,
    IReadOnlyDictionary<string, int> Refusals,
    Distribution TimeToFirstAudio,
    Distribution ServerTimeToFirstAudio,
    Distribution InterChunkGaps,
    Distribution RealTimeFactor,
    Distribution TimeToBusy,
    int Chunks,
    double AudioSeconds,
    int BusyAfterStarted,
    int BusyAfterAudio,
    IReadOnlyDictionary<string, int> ViolationsByKind,
    IReadOnlyList<string> Violations)
{
    public int ViolationCount => ViolationsByKind.Values.Sum();

    /// <summary>Every utterance completed and every stream verified.</summary>
    public bool Passed => Completed == Utterances && ViolationCount == 0;
}
