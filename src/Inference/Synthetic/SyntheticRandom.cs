namespace Sawt.Inference.Synthetic;

/// <summary>Deterministic Gaussian weights (SplitMix64 + Box-Muller), stable across .NET versions.</summary>
internal sealed class SyntheticRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for one named tensor, independent of the order tensors are made in.</summary>
    public static SyntheticRandom For(ulong seed, string tensorName)
    {
        var hash = 1469598103934665603UL;
        foreach (var c in tensorName)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return new SyntheticRandom(seed ^ hash);
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public float[] Gaussian(int count, double std)
    {
        var result = new float[count];
        for (var i = 0; i < count; i += 2)
        {
            var u1 = 1.0 - NextDouble();
            var u2 = NextDouble();
            var r = Math.Sqrt(-2.0 * Math.Log(u1)) * std;
            result[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < count)
            {
                result[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
            }
        }

        return result;
    }
}
