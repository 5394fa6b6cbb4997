using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Sawt.Inference.Runtime;

namespace Sawt.Inference.Bundles;

/// <summary>
/// The loaded graphs of one bundle on one device, checked against the contract. Owns its
/// <see cref="InferenceSession"/>s; create once per worker and dispose with it.
/// </summary>
public sealed partial class ModelBundle : IDisposable
{
    private ModelBundle(BundleFiles files, BundleLayout layout, ExecutionProviderChoice provider, bool isSynthetic)
    {
        Files = files;
        Layout = layout;
        Provider = provider;
        IsSynthetic = isSynthetic;
    }

    public BundleFiles Files { get; }

    public BundleLayout Layout { get; }

    /// <summary>Provider the sessions run on after any <c>auto</c> fallback.</summary>
    public ExecutionProviderChoice Provider { get; }

    /// <summary>True for bundles made by <see cref="Synthetic.SyntheticBundleGenerator"/>: not speech.</summary>
    public bool IsSynthetic { get; }

    public InferenceSession SpeechEncoder { get; private set; } = null!;

    public InferenceSession EmbedTokens { get; private set; } = null!;

    public InferenceSession LanguageModel { get; private set; } = null!;

    /// <summary>The default decoder variant's session (<see cref="Decoders"/>[0]).</summary>
    public InferenceSession ConditionalDecoder => Decoders[0].Session;

    /// <summary>Every loaded decoder variant, the default first.</summary>
    public IReadOnlyList<LoadedDecoder> Decoders { get; private set; } = [];

    /// <summary>A draft language model with the target's interface, when the bundle has one.</summary>
    public InferenceSession? DraftLanguageModel { get; private set; }

    public LanguageModelInfo LanguageModelInfo { get; private set; } = null!;

    /// <summary>
    /// Names what this bundle's speech encoder computes (<see cref="BundleIdentity"/>), computed once at load; stored
    /// voice conditionals are keyed by it, so another encoder never reads them.
    /// </summary>
    public string Identity { get; private set; } = string.Empty;

    public LanguageModelInfo? DraftLanguageModelInfo { get; private set; }

    public int HiddenSize => LanguageModelInfo.HiddenSize;

    /// <summary>Live native values of every run on this bundle's sessions.</summary>
    public NativeMemoryLedger Ledger { get; } = new();

    /// <summary>Loads and checks every graph; any failure disposes what was loaded and names the file and tensor.</summary>
    public static ModelBundle Load(string directory, BundleOptions? options = null, ILogger? logger = null)
    {
        options ??= new BundleOptions();
        logger ??= NullLogger.Instance;
        var files = BundleFiles.Locate(directory, options);
        var factory = new SessionFactory(options.ExecutionProvider, options.IntraOpThreads, logger);
        var sessions = new List<InferenceSession>();
        try
        {
            InferenceSession Open(string path)
            {
                var session = factory.Create(path);
                sessions.Add(session);
                return session;
            }

            var encoder = Open(files.SpeechEncoder);
            var embed = Open(files.EmbedTokens);
            var languageModel = Open(files.LanguageModel);
            var decoderSessions = files.DecoderVariants.Select(v => Open(v.Path)).ToList();
            var draft = files.DraftLanguageModel is null ? null : Open(files.DraftLanguageModel);

            var layout = DetectLayout(files, embed, languageModel);
            var info = layout == BundleLayout.MultilingualV2
                ? V2Contract.CheckLanguageModel(files.LanguageModel, languageModel)
                : CheckLanguageModel(files.LanguageModel, languageModel);
            var hidden = layout switch
            {
                BundleLayout.MultilingualV2 => V2Contract.CheckEmbedTokens(files.EmbedTokens, embed),
                BundleLayout.Turbo => TurboGraphChecks.EmbedTokens(files.EmbedTokens, embed),
                _ => CheckEmbedTokens(files.EmbedTokens, embed),
            };
            CheckSpeechEncoder(files.SpeechEncoder, encoder, info.HiddenSize);
            if (layout == BundleLayout.Turbo)
            {
                TurboGraphChecks.SpeechEncoder(files.SpeechEncoder, encoder);
            }

            var decoders = new List<LoadedDecoder>(decoderSessions.Count);
            for (var i = 0; i < decoderSessions.Count; i++)
            {
                var variant = files.DecoderVariants[i];
                CheckDecoder(variant.Path, decoderSessions[i]);
                decoders.Add(new LoadedDecoder(variant.Name, variant.Path, decoderSessions[i], LoadedDecoder.ScheduleOf(variant, decoderSessions[i], info.HasPositionIds)));
            }
            if (hidden > 0 && hidden != info.HiddenSize)
            {
                throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                    $"{Path.GetFileName(files.EmbedTokens)}: output 'inputs_embeds' is {hidden} wide but {Path.GetFileName(files.LanguageModel)} expects {info.HiddenSize}.");
            }

            LanguageModelInfo? draftInfo = null;
            if (draft is not null)
            {
                draftInfo = CheckLanguageModel(files.DraftLanguageModel!, draft);
                if (draftInfo.HiddenSize != info.HiddenSize || draftInfo.LogitsWidth != info.LogitsWidth)
                {
                    throw new InferenceException(InferenceErrorCode.BundleTensorMismatch,
                        $"{Path.GetFileName(files.DraftLanguageModel)}: hidden size and vocabulary must match the target language model.");
                }
            }

            var bundle = new ModelBundle(files, layout, factory.Resolved, IsSyntheticBundle(directory))
            {
                SpeechEncoder = encoder,
                EmbedTokens = embed,
                LanguageModel = languageModel,
                Decoders = decoders,
                DraftLanguageModel = draft,
                LanguageModelInfo = info,
                DraftLanguageModelInfo = draftInfo,
                Identity = BundleIdentity.Compute(files),
            };
            LogLoaded(logger, directory, layout, files.LanguageModelVariant, info.Layers, info.HiddenSize, factory.Resolved.ToString(), bundle.IsSynthetic);
            return bundle;
        }
        catch
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            throw;
        }
    }

    public void Dispose()
    {
        SpeechEncoder?.Dispose();
        EmbedTokens?.Dispose();
        LanguageModel?.Dispose();
        foreach (var decoder in Decoders)
        {
            decoder.Session.Dispose();
        }
        DraftLanguageModel?.Dispose();
    }

    private static BundleLayout DetectLayout(BundleFiles files, InferenceSession embed, InferenceSession languageModel)
    {
        var lmInputs = languageModel.InputMetadata;
        if (lmInputs.ContainsKey("cfg_weight") || languageModel.OutputMetadata.ContainsKey("attn_layers"))
        {
            return V2Contract.Detect(files, languageModel);
        }

        if (lmInputs.ContainsKey("position_ids") || !embed.InputMetadata.ContainsKey("exaggeration"))
        {
            return TurboGraphChecks.Layout(files, embed, languageModel);
        }

        return BundleLayout.MultilingualV1;
    }

    /// <param name="path">The graph's file, for errors.</param>
    /// <param name="session">The loaded graph.</param>
    /// <param name="activations">Element type of <c>inputs_embeds</c> and <c>logits</c> (f16 in the v2 re-export).</param>
    internal static LanguageModelInfo CheckLanguageModel(string path, InferenceSession session, TensorElementType activations = TensorElementType.Float)
    {
        var contract = new GraphContract(path, session)
            .Input("inputs_embeds", 3, activations)
            .Input("attention_mask", 2, TensorElementType.Int64)
            .Output("logits", 3, activations);
        if (contract.Inputs.ContainsKey("position_ids"))
        {
            // Turbo's positions (the layout check already required them there); checked wherever a graph has them.
            contract.Input("position_ids", 2, TensorElementType.Int64);
        }

        var layers = 0;
        while (contract.Inputs.ContainsKey($"past_key_values.{layers}.key"))
        {
            layers++;
        }

        if (layers == 0)
        {
            throw new InferenceException(InferenceErrorCode.BundleTensorMissing,
                $"{Path.GetFileName(path)}: required input 'past_key_values.0.key' is missing; the language model must take a KV cache.");
        }

        var kvType = contract.Inputs["past_key_values.0.key"].ElementDataType;
        for (var l = 0; l < layers; l++)
        {
            contract.Input($"past_key_values.{l}.key", 4, TensorElementType.Float, TensorElementType.Float16)
                .Input($"past_key_values.{l}.value", 4, kvType)
                .Output($"present.{l}.key", 4, kvType)
                .Output($"present.{l}.value", 4, kvType);
        }

        var logitsWidth = contract.FixedDimension("logits", 2, isInput: false);
        if (logitsWidth <= (int)ChatterboxConstants.StopOfSpeech)
        {
            throw contract.Mismatch($"output 'logits' is {logitsWidth} wide; the speech head must cover id {ChatterboxConstants.StopOfSpeech} (STOP).");
        }

        return new LanguageModelInfo(
            layers,
            contract.FixedDimension("past_key_values.0.key", 1),
            contract.FixedDimension("past_key_values.0.key", 3),
            contract.FixedDimension("inputs_embeds", 2),
            logitsWidth,
            kvType,
            contract.Inputs["inputs_embeds"].Dimensions[0] == 1,
            contract.Inputs.ContainsKey("position_ids"),
            contract.Outputs.ContainsKey("attn_layers"));
    }

    private static int CheckEmbedTokens(string path, InferenceSession session)
    {
        var contract = new GraphContract(path, session)
            .Input("input_ids", 2, TensorElementType.Int64)
            .Input("position_ids", 2, TensorElementType.Int64)
            .Input("exaggeration", 1, TensorElementType.Float)
            .Output("inputs_embeds", 3, TensorElementType.Float);
        return contract.Outputs["inputs_embeds"].Dimensions[2];
    }

    private static void CheckSpeechEncoder(string path, InferenceSession session, int hidden)
    {
        var contract = new GraphContract(path, session)
            .Input("audio_values", 2, TensorElementType.Float)
            .Output("audio_features", 3, TensorElementType.Float)
            .Output("audio_tokens", 2, TensorElementType.Int64)
            .Output("speaker_embeddings", 2, TensorElementType.Float)
            .Output("speaker_features", 3, TensorElementType.Float);
        var width = contract.Outputs["audio_features"].Dimensions[2];
        if (width > 0 && width != hidden)
        {
            throw contract.Mismatch($"output 'audio_features' is {width} wide but the language model expects {hidden}.");
        }
    }

    private static void CheckDecoder(string path, InferenceSession session) =>
        new GraphContract(path, session)
            .Input("speech_tokens", 2, TensorElementType.Int64)
            .Input("speaker_embeddings", 2, TensorElementType.Float)
            .Input("speaker_features", 3, TensorElementType.Float)
            .Output("waveform", 2, TensorElementType.Float);

    private static bool IsSyntheticBundle(string directory)
    {
        var config = Path.Combine(directory, "config.json");
        return File.Exists(config) && File.ReadAllText(config).Contains(Synthetic.SyntheticBundleGenerator.SyntheticMarker, StringComparison.Ordinal);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "Loaded bundle {Directory}: layout {Layout}, LM variant {Variant}, {Layers} layers x {Hidden}, provider {Provider}, synthetic {Synthetic}")]
    private static partial void LogLoaded(ILogger logger, string directory, BundleLayout layout, string variant, int layers, int hidden, string provider, bool synthetic);
}
