using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sawt.Gateway.Auth;
using Sawt.Gateway.Diagnostics;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Limits;

/// <summary>
/// The per-key limits (docs/protocol.md, "Limits per key"): two partitioned limiters keyed by <see cref="ApiKey"/>,
/// so one key's budget never touches another's. <b>Requests</b>: a token bucket per key holding
/// <see cref="ApiKey.RequestsPerMinute"/> tokens, refilled one at a time at that rate, taken by every HTTP request on
/// an API path (through ASP.NET Core's rate-limiting middleware, <see cref="HttpRequests"/>) and by every WebSocket
/// message that feeds synthesis (<see cref="TakeRequest"/>). <b>Contexts</b>: a concurrency limiter per key with
/// <see cref="ApiKey.MaxConcurrentContexts"/> permits, one held by each running WebSocket context and HTTP synthesis
/// (<see cref="StartContext"/>). Nothing queues: a refusal is immediate, <c>rate_limited</c> with a retry hint.
/// A limit of 0, and the open API (<see cref="ApiKey.Open"/>), are not limited.
/// </summary>
internal sealed class KeyLimits : IDisposable
{
    /// <summary>Retry hint for a refused context: a running context's end cannot be predicted, so a short poll.</summary>
    public static readonly TimeSpan ContextRetryAfter = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<ApiKey> _requests;
    private readonly PartitionedRateLimiter<ApiKey> _contexts;
    private readonly ILogger<KeyLimits> _logger;

    public KeyLimits(ILogger<KeyLimits> logger)
    {
        _logger = logger;
        _requests = PartitionedRateLimiter.Create<ApiKey, ApiKey>(key => key.RequestsPerMinute > 0
            ? RateLimitPartition.GetTokenBucketLimiter(key, static k => new TokenBucketRateLimiterOptions
            {
                // A minute's worth at once, then one token every 1/RequestsPerMinute of a minute.
                TokenLimit = k.RequestsPerMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / k.RequestsPerMinute,
                QueueLimit = 0,

                // The partitioned limiter's own heartbeat replenishes every partition: no timer per key.
                AutoReplenishment = false,
            })
            : RateLimitPartition.GetNoLimiter(key));
        _contexts = PartitionedRateLimiter.Create<ApiKey, ApiKey>(key => key.MaxConcurrentContexts > 0
            ? RateLimitPartition.GetConcurrencyLimiter(key, static k => new ConcurrencyLimiterOptions
            {
                PermitLimit = k.MaxConcurrentContexts,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(key));
        HttpRequests = _requests.WithTranslatedKey<HttpContext>(static http => http.ApiKeyOrOpen(), leaveOpen: true);
    }

    /// <summary>The request limiter seen per HTTP request (the global limiter of the rate-limiting middleware).</summary>
    public PartitionedRateLimiter<HttpContext> HttpRequests { get; }

    /// <summary>Takes one request of <paramref name="key"/>'s rate; throws <c>rate_limited</c> when it is used up.</summary>
    public void TakeRequest(ApiKey key)
    {
        using var lease = _requests.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            throw Refusal(RequestsRefused(key, lease));
        }
    }

    /// <summary>
    /// Holds one of <paramref name="key"/>'s running contexts until the returned lease is disposed (caller disposes);
    /// throws <c>rate_limited</c> when all are running.
    /// </summary>
    public IDisposable StartContext(ApiKey key)
    {
        var lease = _contexts.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        GatewayLog.KeyLimited(_logger, key.Index, key.Tenant, "contexts");
        throw Refusal(new ApiError(
            ErrorCodes.RateLimited,
            $"This API key already has {key.MaxConcurrentContexts} contexts running (WebSocket contexts and HTTP syntheses together); retry when one ends.",
            true,
            ContextRetryAfter.TotalSeconds));
    }

    /// <summary>The refusal of a request over <paramref name="key"/>'s rate, with the limiter's retry hint (at least 1 s).</summary>
    public ApiError RequestsRefused(ApiKey key, RateLimitLease lease)
    {
        GatewayLog.KeyLimited(_logger, key.Index, key.Tenant, "requests");
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) && hint > TimeSpan.Zero ? hint : TimeSpan.FromSeconds(1);
        return new ApiError(
            ErrorCodes.RateLimited,
            $"This API key's rate of {key.RequestsPerMinute} requests per minute is used up; retry after the hinted delay.",
            true,
            Math.Max(1, retryAfter.TotalSeconds));
    }

    public void Dispose()
    {
        HttpRequests.Dispose();
        _requests.Dispose();
        _contexts.Dispose();
    }

    private static ProtocolException Refusal(ApiError error) =>
        new(error.Code, error.Message, error.Retryable, error.RetryAfterSeconds);
}
