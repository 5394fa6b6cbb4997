namespace Sawt.Bench.Engine;

/// <summary>
/// A bundle directory ready to load. <see cref="GenerateSeconds"/> is null for a given model directory; only a
/// generated bundle is deleted on dispose.
/// </summary>
internal sealed class PreparedBundle(string directory, double? generateSeconds, IDisposable? owned) : IDisposable
{
    public string Directory { get; } = directory;

    public double? GenerateSeconds { get; } = generateSeconds;

    public void Dispose() => owned?.Dispose();
}
