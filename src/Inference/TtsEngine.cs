using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sawt.Inference.Audio;
using Sawt.Inference.Bundles;
using Sawt.Inference.Decoding;
using Sawt.Inference.Generation;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;
using Sawt.Inference.Text;
using Sawt.Inference.Text.Segmentation;
using Sawt.Inference.Voices;

namespace Sawt.Inference;

/// <summary>
/// Synthesis on one bundle: text to 24 kHz audio, whole or streamed. Owns the bundle's sessions and one
/// continuous-batching <see cref="T3Scheduler"/>, so concurrent requests share decode steps.
/// </summary>
public sealed partial class TtsEngine : IAsyncDisposable, IDisposable
{
    private readonly T3Scheduler _scheduler;
    private readonly SpeechDecoder _decoder;
    private readonly VoiceEncoder _voiceEncoder;
    private readonly TtsEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<VoiceConditionals> _defaultVoice;

    private TtsEngine(ModelBundle bundle, ITextTokenizer tokenizer, TtsEngineOptions options, ILoggerFactory loggerFactory)
    {
        Bundle = bundle;
        Tokenizer = tokenizer;
        _options = options;
        _logger = loggerFactory.CreateLogger<TtsEngine>();
        Executor = new T3BatchExecutor(bundle, options.Speculative);
        _scheduler = new T3Scheduler(Executor, options.Scheduler, TimeProvider.System, loggerFactory.CreateLogger<T3Scheduler>());
        _decoder = new SpeechDecoder(bundle);
        DecoderBatcher = new DecoderBatcher(_decoder, options.DecoderBatching, TimeProvider.System, loggerFactory.CreateLogger<DecoderBatcher>());
        _voiceEncoder = new VoiceEncoder(bundle);
        _defaultVoice = new Lazy<VoiceConditionals>(LoadDefaultVoice);
    }

    public ModelBundle Bundle { get; }

    /// <summary>The tokenizer of the bundle's layout.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>The scheduler's current load (active and queued sequences, step time, KV bytes).</summary>
    public SchedulerLoad CurrentLoad => _scheduler.Load;

    /// <summary>The bundle's <c>default_voice.wav</c>, encoded on first use.</summary>
    public VoiceConditionals DefaultVoice => _defaultVoice.Value;

    internal T3BatchExecutor Executor { get; }

    internal T3Scheduler Scheduler => _scheduler;

    /// <summary>The engine's continuous-batching token generator (what a T3 worker serves).</summary>
    public ISpeechTokenGenerator Generator => _scheduler;

    /// <summary>The decoder (what a decoder worker serves); thread-safe.</summary>
    public SpeechDecoder Decoder => _decoder;

    /// <summary>The decoder shared across sessions, batching their chunks (what a decoder worker serves).</summary>
    public DecoderBatcher DecoderBatcher { get; }

    internal TtsEngineOptions Options => _options;

    public static TtsEngine Load(string bundleDirectory, TtsEngineOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new TtsEngineOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var bundle = ModelBundle.Load(bundleDirectory, options.Bundle, loggerFactory.CreateLogger<ModelBundle>());
        try
        {
            return new TtsEngine(bundle, LayoutTokenizer.Load(bundle, loggerFactory), options, loggerFactory);
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Encodes a reference clip into reusable speaker conditionals. The clip is bounded as
    /// <see cref="ReferenceAudio.PrepareFor24k(AudioClip)"/> says (rate, 1 to 30 s, finite, not silent).
    /// </summary>
    public Task<VoiceConditionals> EncodeVoiceAsync(AudioClip reference, CancellationToken cancellationToken = default) =>
        Task.Run(() => _voiceEncoder.Encode(reference, cancellationToken), cancellationToken);

    /// <summary>
    /// Encodes a reference WAV file into reusable speaker conditionals: the header is bounded first
    /// (<see cref="ReferenceAudio.Read"/>: format, channels, duration), so an oversized or hostile file is refused
    /// before its samples are decoded, then the samples (<see cref="ReferenceAudio.PrepareFor24k(AudioClip)"/>).
    /// </summary>
    public Task<VoiceConditionals> EncodeVoiceAsync(ReadOnlyMemory<byte> wav, CancellationToken cancellationToken = default) =>
        Task.Run(() => _voiceEncoder.Encode(ReferenceAudio.Read(wav), cancellationToken), cancellationToken);

    public async Task<SynthesisResult> SynthesizeAsync(SynthesisRequest request, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = await SynthesizeBatchAsync([request], progress, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Submits every request at once (they share prefill and decode steps), then decodes each whole.</summary>
    public async Task<IReadOnlyList<SynthesisResult>> SynthesizeBatchAsync(IReadOnlyList<SynthesisRequest> requests, IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var prepared = requests.Select(Prepare).ToList();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var handles = new List<GenerationHandle>(prepared.Count);
        try
        {
            foreach (var request in prepared)
            {
                handles.Add(_scheduler.Submit(request, linked.Token));
            }

            var results = new List<SynthesisResult>(handles.Count);
            foreach (var handle in handles)
            {
                var tokens = new List<long>(handle.MaxSteps);
                await foreach (var token in handle.Tokens.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    tokens.Add(token);
                    if (tokens.Count % 25 == 0)
                    {
                        progress?.Report(new SynthesisProgress("generating", tokens.Count, handle.MaxSteps));
                    }
                }

                var summary = await handle.Completion.ConfigureAwait(false);
                progress?.Report(new SynthesisProgress("decoding", tokens.Count, handle.MaxSteps));
                var decodeClock = Stopwatch.StartNew();
                var audio = await Task.Run(() => _decoder.Decode(handle.Sequence.Voice, CollectionsMarshal.AsSpan(tokens), cancellationToken), cancellationToken).ConfigureAwait(false);
                if (_options.TrimFinalToken && summary.StopReason == StopReason.EndOfSpeech && audio.Length >= ChatterboxConstants.SamplesPerToken)
                {
                    audio = audio[..^ChatterboxConstants.SamplesPerToken];
                }

                results.Add(new SynthesisResult(audio, ChatterboxConstants.SampleRate, [.. tokens], summary.StopReason, handle.Sequence.Text.TextIdCount,
                    summary.TimeToFirstToken, summary.Total, decodeClock.Elapsed)
                {
                    AlignmentWarnings = summary.AlignmentWarnings,
                });
                LogSynthesized(_logger, handle.Sequence.Text.TextIdCount, tokens.Count, summary.StopReason, summary.Total.TotalMilliseconds);
            }

            return results;
        }
        finally
        {
            // Anything still generating (an error or cancellation above) is dropped at the next step.
            await linked.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Streams a text of any length: sentences (clauses when long) are generated in order as one stream, and
    /// each is decoded in chunks while it is still being generated. Cancel or stop enumerating at any point.
    /// </summary>
    public IAsyncEnumerable<AudioChunk> StreamAsync(StreamingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = SupportedLanguages.Normalize(request.Language);
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new InferenceException(InferenceErrorCode.EmptyText, "The text is empty or contains only whitespace; there is nothing to speak.");
        }

        if (request.Text.Length > _options.MaxStreamTextChars)
        {
            throw new InferenceException(InferenceErrorCode.TextTooLong,
                $"The text is {request.Text.Length} characters long; one stream takes at most {_options.MaxStreamTextChars}.");
        }

        var segments = new TextSegmenter().Segment(request.Text, language);
        return new SpeechStreamer(this).StreamAsync(
            segments.ToAsyncEnumerable(),
            language,
            request.Voice ?? DefaultVoice,
            request.Sampling ?? new SamplingOptions(),
            request.Streaming ?? new StreamingOptions(),
            cancellationToken);
    }

    /// <summary>Opens an incremental-text context (text pieces in, one audio stream out).</summary>
    public SynthesisContext CreateContext(string language, VoiceConditionals? voice = null, SamplingOptions? sampling = null, StreamingOptions? streaming = null, SegmentationOptions? segmentation = null) =>
        new(this, language, voice ?? DefaultVoice, sampling ?? new SamplingOptions(), streaming ?? new StreamingOptions(), segmentation);

    public async ValueTask DisposeAsync()
    {
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        await DecoderBatcher.DisposeAsync().ConfigureAwait(false);
        Bundle.Dispose();
    }

    public void Dispose()
    {
        _scheduler.Dispose();
        DecoderBatcher.Dispose();
        Bundle.Dispose();
    }

    internal GenerationRequest Prepare(SynthesisRequest request)
    {
        var text = Tokenizer.Encode(request.Text, request.Language);
        var sampling = request.Sampling ?? new SamplingOptions();
        sampling.Validate();
        return new GenerationRequest(text, request.Voice ?? DefaultVoice, sampling);
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
