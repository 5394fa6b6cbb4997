using Sawt.Bench.Engine;

namespace Sawt.Bench.Voices;

/// <summary>What the voices bench measures and how often.</summary>
internal sealed record VoicesBenchSettings
{
    /// <summary>The one bundle every engine of the run loads: a synthetic size generated for the run, or a <c>--model</c> directory.</summary>
    public required BenchBundleChoice Bundle { get; init; }

    /// <summary>New voices, each with its own reference clip, uploaded and spoken one after another.</summary>
    public required int Voices { get; init; }

    /// <summary>Utterances per voice at most, while a case still lacks a sample for that voice.</summary>
    public required int MaxUtterancesPerVoice { get; init; }

    /// <summary>Timed default-voice utterances (the baseline row) before each voice's upload, so the baseline spans the whole run.</summary>
    public int DefaultPerVoice { get; init; } = 2;

    /// <summary>ONNX Runtime intra-op threads of each silo's CPU worker.</summary>
    public required int IntraOpThreads { get; init; }

    /// <summary>Silos in the cluster; the cases need at least two.</summary>
    public int Silos { get; init; } = 2;

    /// <summary>Untimed default-voice utterances before any timing, enough to warm every silo's workers.</summary>
    public int WarmUpUtterances { get; init; } = 4;

    /// <summary>Seconds of each reference clip (24 kHz mono PCM16).</summary>
    public double ClipSeconds { get; init; } = 4;
}
