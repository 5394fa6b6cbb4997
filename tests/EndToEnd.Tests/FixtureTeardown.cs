namespace Sawt.EndToEnd.Tests;

/// <summary>
/// How a cluster fixture ends, in the order its parts depend on each other: the host (its silos use Redis and read the
/// bundle), then Redis, then the bundle's temporary directory. Parts the fixture never started are null.
/// </summary>
internal static class FixtureTeardown
{
    public static async ValueTask DisposeAsync(IAsyncDisposable? host, IAsyncDisposable? redis = null, string? bundleDirectory = null)
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (bundleDirectory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(bundleDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp leftovers are harmless.
        }
    }
}
