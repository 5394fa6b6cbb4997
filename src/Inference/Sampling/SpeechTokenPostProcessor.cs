namespace Sawt.Inference.Sampling;

/// <summary>
/// Token-level post-processing of model-contract.md 6.4: turns the generated ids into the speech tokens the
/// decoder may see. The final-token audio trim (960 samples after an emitted STOP) is not done here; see
/// <see cref="TtsEngineOptions.TrimFinalToken"/>.
/// </summary>
public static class SpeechTokenPostProcessor
{
    /// <summary>
    /// The one definition of a real speech token: a code of the 6561-entry codebook. START (6561), STOP (6562), the
    /// exaggeration slot (6563) and the unused head ids up to 8193 are not; none of them may reach the decoder.
    /// Everything that filters generated ids (publishing, <see cref="Finalize"/>, the decoder's guard) asks this.
    /// </summary>
    public static bool IsSpeechToken(long id) => id is >= 0 and < ChatterboxConstants.SpeechCodebookSize;

    /// <summary>
    /// Drops a leading 6561 (START), a trailing 6562 (STOP) and any other id at or above 6561; every real speech
    /// token is kept, in order.
    /// <para>
    /// Nothing is ever dropped by position alone: a run that hit the step cap (or was stopped by a guard without
    /// sampling STOP) ends on a real speech token, and that token is decoded. Only an emitted STOP is removed.
    /// </para>
    /// </summary>
    /// <param name="generated">Ids in generation order; may start with 6561 and, when STOP was emitted, end with 6562.</param>
    /// <param name="emittedStop">
    /// Whether the run ended by sampling STOP. When false, <paramref name="generated"/> must not end with 6562:
    /// that would be a caller bug (a STOP that was not recorded as the stop reason).
    /// </param>
    public static long[] Finalize(IReadOnlyList<long> generated, bool emittedStop)
    {
        ArgumentNullException.ThrowIfNull(generated);
        if (!emittedStop && generated.Count > 0 && generated[^1] == ChatterboxConstants.StopOfSpeech)
        {
            throw new ArgumentException(
                "The ids end with STOP (6562) but the run is not marked as having emitted it.", nameof(generated));
        }

        var start = generated.Count > 0 && generated[0] == ChatterboxConstants.StartOfSpeech ? 1 : 0;
        var end = emittedStop && generated.Count > start && generated[^1] == ChatterboxConstants.StopOfSpeech
            ? generated.Count - 1
            : generated.Count;

        var speech = new List<long>(end - start);
        for (var k = start; k < end; k++)
        {
            // Sampling can produce START, STOP or the unused ids 6563..8193 mid-sequence; none is a speech code.
            if (IsSpeechToken(generated[k]))
            {
                speech.Add(generated[k]);
            }
        }

        return [.. speech];
    }
}
