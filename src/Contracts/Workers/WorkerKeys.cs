namespace Sawt.Contracts.Workers;

/// <summary>
/// Worker grain keys: <c>{silo endpoint}/{device}</c>, e.g. <c>10.0.0.5:11111/cuda:0</c> or
/// <c>127.0.0.1:11111/cpu</c>. The placement director activates a worker on the silo named in its key.
/// </summary>
public static class WorkerKeys
{
    /// <summary>The key of the worker for <paramref name="device"/> on the silo at <paramref name="siloEndpoint"/>.</summary>
    public static string Create(string siloEndpoint, string device) => $"{siloEndpoint}/{device}";

    /// <summary>Splits a key into endpoint and device; false when it is not a worker key.</summary>
    public static bool TryParse(string key, out string siloEndpoint, out string device)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            siloEndpoint = device = string.Empty;
            return false;
        }

        siloEndpoint = key[..slash];
        device = key[(slash + 1)..];
        return true;
    }
}
