using Microsoft.ML.OnnxRuntime;
using Sawt.Inference.Decoding;

namespace Sawt.Inference.Bundles;

/// <summary>A decoder variant loaded by a <see cref="ModelBundle"/>, which owns (and disposes) its session.</summary>
public sealed class LoadedDecoder(string variant, string path, InferenceSession session, DecoderSchedule schedule)
{
    /// <summary>The variant's name: <c>n4</c>, <c>n6</c>, <c>n10</c>, <c>fp32</c>, ...</summary>
    public string Variant { get; } = variant;

    public string Path { get; } = path;

    public InferenceSession Session { get; } = session;

    /// <summary>Kind and step count baked into the graph.</summary>
    public DecoderSchedule Schedule { get; } = schedule;

    /// <summary>Variant and schedule for reports, e.g. <c>n6 (cfm-6)</c>.</summary>
    public override string ToString() => $"{Variant} ({Schedule.Label})";

    /// <summary>
    /// The schedule of a decoder graph: the graph's own metadata when it carries it (synthetic bundles do), else the
    /// file name's step count (v2: flow matching), else the layout's (Turbo: MeanFlow, 2 steps; v1: flow matching, 10).
    /// </summary>
    internal static DecoderSchedule ScheduleOf(DecoderVariantFile file, InferenceSession session, bool turboLayout)
    {
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (metadata.TryGetValue(Synthetic.SyntheticDecoderGraph.KindMetadataKey, out var kind)
            && metadata.TryGetValue(Synthetic.SyntheticDecoderGraph.StepsMetadataKey, out var stepsText)
            && int.TryParse(stepsText, System.Globalization.CultureInfo.InvariantCulture, out var steps) && steps > 0)
        {
            return new DecoderSchedule(kind == "meanflow" ? DecoderKind.MeanFlow : DecoderKind.FlowMatching, steps);
        }

        if (file.NamedSteps is { } named)
        {
            return new DecoderSchedule(DecoderKind.FlowMatching, named);
        }

        return turboLayout ? DecoderSchedule.TurboDefault : DecoderSchedule.V1;
    }
}
