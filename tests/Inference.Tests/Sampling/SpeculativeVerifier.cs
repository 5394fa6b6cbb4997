using Sawt.Inference.Sampling;

namespace Sawt.Inference.Tests.Sampling;

/// <summary>The verification rule a <see cref="SpeculativeLoop"/> uses: the real one, or a naive one to be caught.</summary>
internal delegate SpeculativeVerdict SpeculativeVerifier(
    ReadOnlySpan<double> target, ReadOnlySpan<double> draft, int drafted, DeterministicRandom random);
