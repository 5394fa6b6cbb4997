using System.Diagnostics;

namespace Sawt.Inference;

/// <summary>
/// The engine's trace source. The engine knows no telemetry SDK: a host that wants its spans adds
/// <see cref="SourceName"/> to its tracer. The batching loop's step spans (<c>t3.prefill</c>, <c>t3.decode</c>) link
/// to the spans that submitted the sequences in the batch, as a batch serves many traces at once.
/// </summary>
public static class InferenceTelemetry
{
    public const string SourceName = "Sawt.Inference";

    /// <summary>Span of one batched prefill; tag <see cref="BatchSizeTag"/>.</summary>
    public const string PrefillSpan = "t3.prefill";

    /// <summary>Span of one batched decode step; tag <see cref="BatchSizeTag"/>.</summary>
    public const string DecodeSpan = "t3.decode";

    public const string BatchSizeTag = "sawt.batch.size";

    // Static like the framework's own sources: an ActivitySource is a name, its listeners are the process's.
    internal static readonly ActivitySource Source = new(SourceName);
}
