namespace Sawt.Inference.Synthetic;

/// <summary>
/// Size and behaviour of a generated bundle. File names, tensor names, element types and dynamic axes
/// are those of the real export of <see cref="Layout"/> whatever the size; only the widths change.
/// </summary>
public sealed record SyntheticBundleOptions
{
    /// <summary>Tiny bundle for tests: 2 layers, hidden 64.</summary>
    public static SyntheticBundleOptions Tiny { get; } = new();

    /// <summary>Mid-size bundle for benchmarks: 8 layers, hidden 512.</summary>
    public static SyntheticBundleOptions Mid { get; } = new()
    {
        Layers = 8,
        HiddenSize = 512,
        Heads = 8,
        IntermediateSize = 1408,
        UseExternalData = true,
        DecoderChannels = 80,
        DecoderHiddenSize = 256,
    };

    /// <summary>The real model's widths (30 x 1024, 16 heads): about 1.6 GB of random fp32 weights.</summary>
    public static SyntheticBundleOptions RealSize { get; } = new()
    {
        Layers = 30,
        HiddenSize = 1024,
        Heads = 16,
        IntermediateSize = 4096,
        UseExternalData = true,
        DecoderChannels = 80,
        DecoderHiddenSize = 512,
    };

    /// <summary>Tiny Turbo bundle for tests: 2 layers, hidden 64, with an <c>_fp16</c> language model beside the fp32 one.</summary>
    public static SyntheticBundleOptions TinyTurbo { get; } = new() { Layout = SyntheticLayoutKind.Turbo, Fp16LanguageModel = true };

    /// <summary>Also writes <c>onnx/language_model_fp16.onnx</c>: the same weights with f16 caches (embeds and logits f32), as the real fp16 variants.</summary>
    public bool Fp16LanguageModel { get; init; }

    public ulong Seed { get; init; } = 20261125;

    public int Layers { get; init; } = 2;

    public int HiddenSize { get; init; } = 64;

    /// <summary>Attention heads; KV heads are the same (no GQA sharing, as in the real model).</summary>
    public int Heads { get; init; } = 4;

    public int IntermediateSize { get; init; } = 176;

    /// <summary>Writes weights to <c>.onnx_data</c> sidecars, as the real exports do.</summary>
    public bool UseExternalData { get; init; }

    /// <summary>
    /// When set, also writes <c>onnx/language_model_draft.onnx</c>: same vocabulary and interface, weights
    /// perturbed by (1 - agreement). 1 gives a draft that always agrees with the target.
    /// </summary>
    public double? DraftAgreement { get; init; }

    /// <summary>
    /// Layers of the draft model (with <see cref="DraftAgreement"/>): the target's first layers, so the draft is that
    /// much cheaper per step, as a quantised or layer-skipping draft is. Null keeps all <see cref="Layers"/>.
    /// </summary>
    public int? DraftLayers { get; init; }

    /// <summary>
    /// The LM emits STOP once text positions make up less than this share of the embedded sequence
    /// (so speech length grows with text length: about (1/ratio - 1) tokens per text id).
    /// </summary>
    public float StopTextShare { get; init; } = 0.25f;

    /// <summary>Decoder graphs to write (file name and baked schedule); the v1 <c>conditional_decoder.onnx</c> by default.</summary>
    public IReadOnlyList<SyntheticDecoderFile> DecoderFiles { get; init; } = SyntheticDecoderFile.V1;

    /// <summary>Channels of the decoder's flow latent (the real one has 80 mel bins; small in tests to keep them fast).</summary>
    public int DecoderChannels { get; init; } = 16;

    /// <summary>Hidden width of the decoder's estimator MLP (at least <see cref="DecoderChannels"/>).</summary>
    public int DecoderHiddenSize { get; init; } = 16;

    /// <summary>Which real export to imitate; <see cref="SyntheticLayoutKind.MultilingualV2"/> writes the v2 re-export's files.</summary>
    public SyntheticLayoutKind Layout { get; init; } = SyntheticLayoutKind.MultilingualV1;

    public int HeadDim => HiddenSize / Heads;

    internal void Validate()
    {
        if (Layers < 1 || HiddenSize < 8 || Heads < 1 || HiddenSize % Heads != 0 || HeadDim % 2 != 0 || HeadDim < 2 || IntermediateSize < 1)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                $"Synthetic bundle size is inconsistent: layers {Layers}, hidden {HiddenSize}, heads {Heads} (hidden must divide into an even head size).");
        }

        if (DecoderChannels < 1 || DecoderHiddenSize < DecoderChannels || DecoderFiles.Count == 0 || DecoderFiles.Any(f => f.Schedule.Steps < 1))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                "Synthetic decoder is inconsistent: at least one file, each with at least one step, and a hidden width no smaller than the channels.");
        }

        if (StopTextShare is <= 0 or >= 1)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "StopTextShare must be in (0, 1).");
        }

        if (DraftLayers is { } draftLayers && (draftLayers < 1 || draftLayers > Layers))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, $"DraftLayers must be between 1 and the target's {Layers} layers.");
        }

        if (Layout == SyntheticLayoutKind.MultilingualV2 && (DraftAgreement is not null || HeadDim < SyntheticLayout.HeaderDims))
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions,
                $"A synthetic v2 bundle has no draft model and needs a head size of at least {SyntheticLayout.HeaderDims} (its head 0 reads the steering dimensions).");
        }

        if (DraftAgreement is < 0 or > 1)
        {
            throw new InferenceException(InferenceErrorCode.InvalidOptions, "DraftAgreement must be in [0, 1].");
        }
    }
}
