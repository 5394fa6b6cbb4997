using Sawt.Inference.Decoding;

namespace Sawt.Inference.Synthetic;

/// <summary>A decoder graph a synthetic bundle carries: its file name in <c>onnx/</c> and the schedule baked into it.</summary>
public sealed record SyntheticDecoderFile(string FileName, DecoderSchedule Schedule)
{
    /// <summary>The v1 layout: <c>conditional_decoder.onnx</c> with 10 flow-matching steps.</summary>
    public static IReadOnlyList<SyntheticDecoderFile> V1 { get; } = [new("conditional_decoder.onnx", DecoderSchedule.V1)];

    /// <summary>The v2 re-export: <c>conditional_decoder_n4/_n6/_n10.onnx</c>.</summary>
    public static IReadOnlyList<SyntheticDecoderFile> V2 { get; } =
    [
        new("conditional_decoder_n4.onnx", new DecoderSchedule(DecoderKind.FlowMatching, 4)),
        new("conditional_decoder_n6.onnx", new DecoderSchedule(DecoderKind.FlowMatching, 6)),
        new("conditional_decoder_n10.onnx", new DecoderSchedule(DecoderKind.FlowMatching, 10)),
    ];

    /// <summary>Turbo: a MeanFlow <c>conditional_decoder.onnx</c> (2 steps).</summary>
    public static IReadOnlyList<SyntheticDecoderFile> Turbo { get; } = [new("conditional_decoder.onnx", DecoderSchedule.TurboDefault)];

    /// <summary>Every schedule side by side (the v2 files and a MeanFlow plain file), for benchmarks and variant tests.</summary>
    public static IReadOnlyList<SyntheticDecoderFile> AllSchedules { get; } = [.. V2, .. Turbo];
}
