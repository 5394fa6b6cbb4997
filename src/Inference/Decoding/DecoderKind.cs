namespace Sawt.Inference.Decoding;

/// <summary>How a decoder graph's flow estimator is integrated (model-contract.md 7.1 and 8).</summary>
public enum DecoderKind
{
    /// <summary>Conditional flow matching: cosine time schedule, classifier-free guidance (two estimator calls per step).</summary>
    FlowMatching,

    /// <summary>MeanFlow (Turbo): linear time schedule, no guidance (one estimator call per step).</summary>
    MeanFlow,
}
