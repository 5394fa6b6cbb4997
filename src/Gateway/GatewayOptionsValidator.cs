using Microsoft.Extensions.Options;

namespace Sawt.Gateway;

/// <summary>Checks <see cref="GatewayOptions"/> at start (ValidateOnStart).</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        Positive(options.MaxTextLength, nameof(options.MaxTextLength));
        Positive(options.MaxContextsPerSocket, nameof(options.MaxContextsPerSocket));
        Positive(options.SendQueueCapacity, nameof(options.SendQueueCapacity));
        Positive(options.ContextCommandCapacity, nameof(options.ContextCommandCapacity));
        Positive(options.SessionEventBuffer, nameof(options.SessionEventBuffer));
        Positive(options.MaxHttpBodyBytes, nameof(options.MaxHttpBodyBytes));
        Positive(options.MaxVoiceUploadBytes, nameof(options.MaxVoiceUploadBytes));
        Positive(options.MaxEncoderProcesses, nameof(options.MaxEncoderProcesses));
        if (string.IsNullOrWhiteSpace(options.FfmpegPath))
        {
            failures.Add($"{nameof(options.FfmpegPath)} must be set.");
        }

        foreach (var origin in options.CorsOrigins.Where(o => !Security.CorsPolicies.IsValidOrigin(o)))
        {
            failures.Add($"{nameof(options.CorsOrigins)} entry '{origin}' must be '*' or an origin such as https://app.example.com (scheme, host, optional port; no path).");
        }

        if (options.MaxMessageBytes < 1024)
        {
            failures.Add($"{nameof(options.MaxMessageBytes)} must be at least 1024.");
        }

        PositiveTime(options.IdleTimeout, nameof(options.IdleTimeout));
        PositiveTime(options.SlowConsumerTimeout, nameof(options.SlowConsumerTimeout));
        PositiveTime(options.StreamProbeAfter, nameof(options.StreamProbeAfter));
        PositiveTime(options.StreamProbeTimeout, nameof(options.StreamProbeTimeout));
        PositiveTime(options.CloseTimeout, nameof(options.CloseTimeout));
        PositiveTime(options.SessionLease, nameof(options.SessionLease));
        PositiveTime(options.SessionLeaseRenewal, nameof(options.SessionLeaseRenewal));
        if (options.SessionLeaseRenewal * 2 > options.SessionLease)
        {
            // One late or lost renewal must not end a session that is being listened to.
            failures.Add($"{nameof(options.SessionLeaseRenewal)} must be at most half of {nameof(options.SessionLease)} (was {options.SessionLeaseRenewal} of {options.SessionLease}).");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"{nameof(options.DrainTimeout)} must not be negative (was {options.DrainTimeout}).");
        }

        if (string.IsNullOrWhiteSpace(options.DefaultLanguage))
        {
            failures.Add($"{nameof(options.DefaultLanguage)} must be set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(int value, string field)
        {
            if (value <= 0)
            {
                failures.Add($"{field} must be positive (was {value}).");
            }
        }

        void PositiveTime(TimeSpan value, string field)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{field} must be positive (was {value}).");
            }
        }
    }
}
