using Microsoft.Extensions.Configuration;

namespace Sawt.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class SawtRedisOptionsTests
{
    [Fact]
    public void ConnectionString_NeitherSet_None()
    {
        Assert.Null(SawtRedisOptions.ConnectionStringFrom(Configuration([])));
        Assert.False(SawtClusteringExtensions.UsesRedis(Configuration([])));
    }

    [Fact]
    public void ConnectionString_OnlyTheUsualConnectionString_UsesIt()
    {
        var configuration = Configuration(new() { ["ConnectionStrings:redis"] = "cache:6379" });
        Assert.Equal("cache:6379", SawtRedisOptions.ConnectionStringFrom(configuration));
    }

    [Fact]
    public void ConnectionString_Both_SawtSectionWins()
    {
        var configuration = Configuration(new() { ["ConnectionStrings:redis"] = "cache:6379", ["Sawt:Redis:ConnectionString"] = "sawt:6380" });
        Assert.Equal("sawt:6380", SawtRedisOptions.ConnectionStringFrom(configuration));
    }

    [Fact]
    public void ConnectionString_Blank_None()
    {
        Assert.Null(SawtRedisOptions.ConnectionStringFrom(Configuration(new() { ["Sawt:Redis:ConnectionString"] = "  " })));
    }

    [Fact]
    public void Parse_NeverAbortsOnAFailedFirstConnect()
    {
        Assert.False(SawtRedis.Parse("127.0.0.1:1,abortConnect=true").AbortOnConnectFail);
    }

    [Fact]
    public void AdvertisedAddress_NotAnAddress_ClearError()
    {
        var options = new SawtClusterOptions { AdvertisedAddress = "silo-1" };
        var error = Assert.Throws<InvalidOperationException>(() => options.AdvertisedIPAddress);
        Assert.Contains("AdvertisedAddress", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
