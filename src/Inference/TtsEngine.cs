using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sawt.Inference.Audio;
using Sawt.Inference.Bundles;
using Sawt.Inference.Decoding;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Text;
using Sawt.Inference.Voices;

namespace Sawt.Inference;

/// <summary>
/// Offline synthesis on one bundle: text to 24 kHz audio. Owns the bundle's sessions. Calls are
/// serialised (one executor); many utterances at once go through <see cref="SynthesizeBatchAsync"/>,
/// which generates them as one batch.
/// </summary>
public sealed partial class TtsEngine : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly T3BatchExecutor _executor;
    private readonly SpeechDecoder _decoder;
    private readonly VoiceEncoder _voiceEncoder;
    private readonly TtsEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<VoiceConditionals> _defaultVoice;

    private TtsEngine(ModelBundle bundle, ChatterboxTextTokenizer tokenizer, TtsEngineOptions options, ILogger logger)
    {
        Bundle = bundle;
        Tokenizer = tokenizer;
        _options = options;
        _logger = logger;
        _executor = new T3BatchExecutor(bundle);
        _decoder = new SpeechDecoder(bundle);
        _voiceEncoder = new VoiceEncoder(bundle);
        _defaultVoice = new Lazy<VoiceConditionals>(LoadDefaultVoice);
    }

    public ModelBundle Bundle { get; }

    public ChatterboxTextTokenizer Tokenizer { get; }

    /// <summary>The bundle's <c>default_voice.wav</c>, encoded on first use.</summary>
    public VoiceConditionals DefaultVoice => _defaultVoice.Value;

    public static TtsEngine Load(string bundleDirectory, TtsEngineOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new TtsEngineOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var bundle = ModelBundle.Load(bundleDirectory, options.Bundle, loggerFactory.CreateLogger<ModelBundle>());
        try
        {
            var tokenizer = ChatterboxTextTokenizer.Load(bundleDirectory, loggerFactory.CreateLogger<ChatterboxTextTokenizer>());
            return new TtsEngine(bundle, tokenizer, options, loggerFactory.CreateLogger<TtsEngine>());
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }

    /// <summary>Encodes a reference clip (any WAV rate) into reusable speaker conditionals.</summary>
    public async Task<VoiceConditionals> EncodeVoiceAsync(AudioClip reference, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => _voiceEncoder.Encode(reference, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<SynthesisResult> SynthesizeAsync(SynthesisRequest request, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = await SynthesizeBatchAsync([request], progress, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Generates all requests as one batch (ragged lengths, one LM call per step), then decodes each.</summary>
    public async Task<IReadOnlyList<SynthesisResult>> SynthesizeBatchAsync(IReadOnlyList<SynthesisRequest> requests, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var sequences = requests.Select(r => _executor.CreateSequence(Prepare(r))).ToList();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Run(sequences, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        Bundle.Dispose();
        _gate.Dispose();
    }

    private GenerationRequest Prepare(SynthesisRequest request)
    {
        var text = Tokenizer.Encode(request.Text, request.Language);
        var sampling = request.Sampling ?? new SamplingOptions();
        sampling.Validate();
        return new GenerationRequest(text, request.Voice ?? DefaultVoice, sampling);
    }

    private IReadOnlyList<SynthesisResult> Run(List<T3Sequence> sequences, IProgress<SynthesisProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _executor.Prefill(sequences, cancellationToken);
        var firstToken = clock.Elapsed;
        var maxTokens = sequences.Max(s => s.MaxSteps);
        while (sequences.Any(s => !s.IsFinished))
        {
            cancellationToken.ThrowIfCancellationRequested();
            _executor.Step(sequences, cancellationToken);
            var generated = sequences.Max(s => s.Tokens.Count);
            if (generated % 25 == 0)
            {
                progress?.Report(new SynthesisProgress("generating", generated, maxTokens));
            }
        }

        var generation = clock.Elapsed;
        var results = new List<SynthesisResult>(sequences.Count);
        foreach (var sequence in sequences)
        {
            var decodeClock = Stopwatch.StartNew();
            var tokens = sequence.SpeechTokens();
            progress?.Report(new SynthesisProgress("decoding", sequence.Tokens.Count, maxTokens));
            var audio = _decoder.Decode(sequence.Voice, tokens, cancellationToken);
            if (_options.TrimFinalToken && sequence.StopReason == StopReason.EndOfSpeech && audio.Length >= ChatterboxConstants.SamplesPerToken)
            {
                audio = audio[..^ChatterboxConstants.SamplesPerToken];
            }

            results.Add(new SynthesisResult(audio, ChatterboxConstants.SampleRate, tokens, sequence.StopReason, sequence.Text.TextIdCount, firstToken, generation, decodeClock.Elapsed));
            LogSynthesized(_logger, sequence.Text.TextIdCount, tokens.Length, sequence.StopReason, generation.TotalMilliseconds);
        }

        return results;
    }

    private VoiceConditionals LoadDefaultVoice()
    {
        var path = Bundle.Files.DefaultVoice ?? throw new InferenceException(InferenceErrorCode.BundleFileMissing,
            $"Model bundle '{Bundle.Files.Directory}' has no default_voice.wav; pass a reference voice.");
        return _voiceEncoder.Encode(WavReader.Read(path));
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug,
        Message = "Synthesized {TextIds} text ids into {Tokens} speech tokens ({StopReason}) in {GenerationMs} ms of generation")]
    private static partial void LogSynthesized(ILogger logger, int textIds, int tokens, StopReason stopReason, double generationMs);
}
