using Sawt.Inference.Synthetic;

namespace Sawt.Bench.Engine;

/// <summary>A named synthetic bundle size.</summary>
internal sealed record BenchBundleSize(string Name, SyntheticBundleOptions Options)
{
    public string Describe() => $"{Name} ({Options.Layers} x {Options.HiddenSize}, {Options.Heads} heads)";
}
