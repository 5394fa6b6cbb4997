using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sawt.Inference;
using Sawt.Inference.Audio;
using Sawt.Inference.Audio.Formats;
using Sawt.Inference.Bundles;
using Sawt.Inference.Runtime;
using Sawt.Inference.Sampling;
using Sawt.Inference.Streaming;

namespace Sawt.Cli;

/// <summary>
/// <c>sawt stream</c>: streams text (or standard input, line by line, as an LLM would produce it) through the chunked
/// engine and an output encoder into a file, reporting each chunk as it arrives.
/// </summary>
internal static class StreamCommand
{
    public static Command Create(TextWriter output, TextWriter error, TextReader input)
    {
        var text = new Option<string?>("--text") { Description = "Text to speak (or --stdin)." };
        var stdin = new Option<bool>("--stdin") { Description = "Read the text from standard input, line by line, as incremental pieces (newlines are kept); ends at end of input." };
        var language = new Option<string>("--language", "-l") { Description = "Language code, e.g. ar, en, fr (23 supported).", Required = true };
        var outPath = new Option<string>("--out", "-o") { Description = "Output file: a WAV file when it ends in .wav (pcm16 or float32), otherwise the raw encoded stream.", Required = true };
        var format = new Option<string>("--format") { Description = "pcm16, float32, mulaw, alaw or opus (2-byte little-endian length before each packet).", DefaultValueFactory = _ => "pcm16" };
        var rate = new Option<int?>("--rate") { Description = "Output sample rate. Default: 24000, or 8000 for mulaw and alaw." };
        var voice = new Option<string?>("--voice") { Description = "Reference WAV to clone. Default: the bundle's default voice." };
        var model = new Option<string?>("--model") { Description = "Chatterbox ONNX bundle folder. Default: a synthetic bundle (not speech)." };
        var provider = new Option<string>("--provider") { Description = "auto, cpu or cuda:N.", DefaultValueFactory = _ => "auto" };
        var seed = new Option<ulong?>("--seed") { Description = "Sampling seed (same seed, same audio on the same bundle)." };
        var schedule = new Option<string?>("--chunk-schedule") { Description = "New speech tokens per chunk, comma-separated; the last repeats. Default: 10,25,50." };
        var pause = new Option<double?>("--pause-ms") { Description = "Silence between sentences, in milliseconds. Default: 0." };
        var command = new Command("stream", "Stream text to an audio file chunk by chunk, as a client of the streaming API would receive it.")
        {
            text, stdin, language, outPath, format, rate, voice, model, provider, seed, schedule, pause,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var fromStdin = parse.GetValue(stdin);
                var inline = parse.GetValue(text);
                if (fromStdin == (inline is not null))
                {
                    throw new InferenceException(InferenceErrorCode.InvalidOptions, "Give the text with either --text or --stdin (one of them).");
                }

                var audioFormat = AudioFormat.Parse(parse.GetValue(format)!, parse.GetValue(rate));
                var target = parse.GetValue(outPath)!;
                var wav = WavFormatFor(target, audioFormat);
                var streaming = new StreamingOptions
                {
                    ChunkSchedule = parse.GetValue(schedule) is { } sizes ? ParseSchedule(sizes) : new StreamingOptions().ChunkSchedule,
                    SentencePauseMilliseconds = parse.GetValue(pause) ?? 0,
                };
                streaming.Validate();
                var sampling = new SamplingOptions { Seed = parse.GetValue(seed) };
                var bundleOptions = new BundleOptions { ExecutionProvider = ExecutionProviderChoice.Parse(parse.GetValue(provider)) };

                var bundleDirectory = parse.GetValue(model) ?? SyntheticBundleCache.EnsureTiny(error);
                using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
                await using var engine = TtsEngine.Load(bundleDirectory, new TtsEngineOptions { Bundle = bundleOptions }, loggerFactory);
                if (engine.Bundle.IsSynthetic)
                {
                    error.WriteLine("Note: this is a synthetic bundle, not speech. Each speech token plays as a tone. Pass --model with a real Chatterbox ONNX bundle for speech.");
                }

                var conditionals = parse.GetValue(voice) is { } voicePath
                    ? await engine.EncodeVoiceAsync(await File.ReadAllBytesAsync(voicePath, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false)
                    : engine.DefaultVoice;

                using var encoder = AudioEncoderFactory.Create(audioFormat);
                await using var file = File.Create(target);
                var writer = new StreamFileWriter(file, audioFormat, wav);
                var clock = Stopwatch.StartNew();
                var stats = fromStdin
                    ? await StreamFromInputAsync(engine, parse.GetValue(language)!, conditionals, sampling, streaming, input, encoder, writer, clock, error, cancellationToken).ConfigureAwait(false)
                    : await WriteChunksAsync(engine.StreamAsync(new StreamingRequest(inline!, parse.GetValue(language)!, conditionals, sampling, streaming), cancellationToken), encoder, writer, clock, error).ConfigureAwait(false);
                writer.Write(encoder.Flush());
                writer.Complete();

                var audioSeconds = (double)stats.Samples / ChatterboxConstants.SampleRate;
                var first = stats.FirstAudio is { } at ? $"{at.TotalMilliseconds:F0} ms" : "never (no audio)";
                output.WriteLine(
                    $"Wrote {target}: {audioSeconds:F2} s as {audioFormat} ({(wav is null ? "raw stream" : "WAV")}, {file.Length} bytes), {stats.Chunks} chunks, " +
                    $"time to first audio {first}, total {clock.Elapsed.TotalMilliseconds:F0} ms, RTF {(audioSeconds > 0 ? clock.Elapsed.TotalSeconds / audioSeconds : 0):F2}, provider {engine.Bundle.Provider}.");
                return 0;
            }
            catch (Exception ex) when (CliErrors.IsExpected(ex))
            {
                return CliErrors.Report(ex, error);
            }
        });
        return command;
    }

    /// <summary>The WAV sample format for a .wav target, or null for a raw stream; throws for encodings WAV does not hold here.</summary>
    private static WavSampleFormat? WavFormatFor(string target, AudioFormat format)
    {
        if (!target.EndsWith(".wav", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return format.Encoding switch
        {
            AudioEncoding.Pcm16 => WavSampleFormat.Pcm16,
            AudioEncoding.Float32 => WavSampleFormat.Float32,
            _ => throw new InferenceException(InferenceErrorCode.InvalidOptions,
                $"A .wav output holds pcm16 or float32; {format.Name} is written as a raw stream, so give the file another extension (e.g. .raw, .opus)."),
        };
    }

    private static int[] ParseSchedule(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var sizes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]))
            {
                throw new InferenceException(InferenceErrorCode.InvalidOptions, $"--chunk-schedule: '{text}' is not a comma-separated list of token counts, e.g. 10,25,50.");
            }
        }

        return sizes;
    }

    /// <summary>
    /// Feeds standard input into an incremental context line by line while the audio is written. The lines are read on a
    /// pool thread because <c>Console.In</c> reads block; a failed append (e.g. <c>text_too_long</c>) stops the audio and is rethrown.
    /// </summary>
    private static async Task<StreamStats> StreamFromInputAsync(
        TtsEngine engine,
        string language,
        Sawt.Inference.Voices.VoiceConditionals voice,
        SamplingOptions sampling,
        StreamingOptions streaming,
        TextReader input,
        IAudioChunkEncoder encoder,
        StreamFileWriter writer,
        Stopwatch clock,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        await using var context = engine.CreateContext(language, voice, sampling, streaming);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var feeding = Task.Run(() => FeedAsync(input, context, stop, cancellationToken), CancellationToken.None);
        try
        {
            var stats = await WriteChunksAsync(context.ReadAllAsync(stop.Token), encoder, writer, clock, error).ConfigureAwait(false);
            await feeding.ConfigureAwait(false);
            return stats;
        }
        catch (OperationCanceledException) when (feeding.IsFaulted)
        {
            // The feeder failed and stopped the audio; its error is the one to report.
            await feeding.ConfigureAwait(false);
            throw;
        }
    }

    private static async Task FeedAsync(TextReader input, Sawt.Inference.Streaming.SynthesisContext context, CancellationTokenSource stop, CancellationToken cancellationToken)
    {
        try
        {
            while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // The newline goes with the line: it separates words and may end a paragraph, as it did in the input.
                context.AppendText(line + "\n");
            }

            context.Complete();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<StreamStats> WriteChunksAsync(IAsyncEnumerable<AudioChunk> chunks, IAudioChunkEncoder encoder, StreamFileWriter writer, Stopwatch clock, TextWriter error)
    {
        var count = 0;
        var samples = 0L;
        TimeSpan? firstAudio = null;
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            var at = clock.Elapsed;
            if (chunk.Samples.Length > 0)
            {
                firstAudio ??= at;
                count++;
                samples += chunk.Samples.Length;
            }

            writer.Write(encoder.Encode(chunk.Samples));
            var tokens = chunk.TokenCount > 0 ? $"tokens {chunk.FirstToken}..{chunk.FirstToken + chunk.TokenCount - 1} of segment {chunk.SegmentIndex}" : "no tokens";
            error.WriteLine($"chunk {chunk.Sequence}: +{at.TotalMilliseconds:F0} ms, {chunk.Samples.Length} samples, {tokens}{(chunk.IsFinal ? " (final)" : "")}");
        }

        return new StreamStats(count, samples, firstAudio);
    }

    private sealed record StreamStats(int Chunks, long Samples, TimeSpan? FirstAudio);
}
