namespace Sawt.Contracts.Workers;

/// <summary>Speech tokens generated since the previous batch; the last batch of a sequence carries its stop reason.</summary>
/// <param name="Tokens">Speech tokens (all below 6561), in order.</param>
/// <param name="StopReason">Null until the last batch: <c>EndOfSpeech</c>, <c>StepCap</c>, <c>TokenRepetition</c>, ...</param>
[GenerateSerializer, Immutable, Alias("sawt.token-batch")]
public sealed record TokenBatch([property: Id(0)] long[] Tokens, [property: Id(1)] string? StopReason)
{
    /// <summary>On the last batch: what the alignment guard saw without stopping (<c>FalseStart, Discontinuity</c>); null for none.</summary>
    [Id(2)] public string? AlignmentWarnings { get; init; }

    /// <summary>The empty batch that says the worker admitted the job (only when <see cref="T3Job.ReportAdmission"/> asked for it).</summary>
    [Id(3)] public bool Admitted { get; init; }
}
