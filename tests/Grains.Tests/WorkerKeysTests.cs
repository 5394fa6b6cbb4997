using Sawt.Contracts.Workers;

namespace Sawt.Grains.Tests;

/// <summary>Worker keys split on the first slash, so device names with colons and indices survive the round trip.</summary>
[Trait("Category", "Unit")]
public sealed class WorkerKeysTests
{
    [Theory]
    [InlineData("127.0.0.1:11111", "cpu")]
    [InlineData("127.0.0.1:11111", "cpu:1")]
    [InlineData("10.0.0.5:11111", "cuda:0")]
    [InlineData("[::1]:11111", "cuda:12")]
    public void CreateThenTryParse_RoundTrips(string endpoint, string device)
    {
        Assert.True(WorkerKeys.TryParse(WorkerKeys.Create(endpoint, device), out var parsedEndpoint, out var parsedDevice));

        Assert.Equal(endpoint, parsedEndpoint);
        Assert.Equal(device, parsedDevice);
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("/cpu")]
    [InlineData("127.0.0.1:11111/")]
    public void TryParse_NotAWorkerKey_False(string key) => Assert.False(WorkerKeys.TryParse(key, out _, out _));
}
