using System.Security.Cryptography;

namespace Sawt.Inference.Sampling;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through SplitMix64. Our own implementation so that a seed gives
/// the same stream on every platform and .NET version; not thread-safe (one instance per sequence).
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the generator; every seed, 0 included, gives a valid non-zero state.</summary>
    public DeterministicRandom(ulong seed)
    {
        Seed = seed;
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    private DeterministicRandom(DeterministicRandom other)
    {
        Seed = other.Seed;
        _s0 = other._s0;
        _s1 = other._s1;
        _s2 = other._s2;
        _s3 = other._s3;
    }

    /// <summary>The seed this generator (or the one it was cloned from) started with; log it to reproduce a run.</summary>
    public ulong Seed { get; }

    /// <summary>Uses <paramref name="seed"/>, or a fresh cryptographically random seed when it is null.</summary>
    public static DeterministicRandom Create(ulong? seed) => new(seed ?? NewSeed());

    /// <summary>A fresh random seed from the operating system's generator.</summary>
    public static ulong NewSeed()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt64(bytes);
    }

    /// <summary>A copy with the same state: both produce the same values from here on.</summary>
    public DeterministicRandom Clone() => new(this);

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
