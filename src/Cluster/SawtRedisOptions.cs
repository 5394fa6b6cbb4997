using Microsoft.Extensions.Configuration;

namespace Sawt.Cluster;

/// <summary>
/// Redis for a multi-node cluster (section <c>Sawt:Redis</c>, or the usual <c>ConnectionStrings:redis</c>). When a
/// connection string is set, silos and gateways find each other through Redis and voices are shared through it;
/// when not, the process is the embedded default (localhost clustering, in-memory state).
/// </summary>
public sealed class SawtRedisOptions
{
    public const string SectionName = "Sawt:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379</c> or <c>10.0.0.7:6379,password=...</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The configured connection string (<c>Sawt:Redis:ConnectionString</c> first), or null for none.</summary>
    public static string? ConnectionStringFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[$"{SectionName}:{nameof(ConnectionString)}"];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration.GetConnectionString("redis");
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
