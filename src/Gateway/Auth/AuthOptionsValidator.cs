using Microsoft.Extensions.Options;
using Sawt.Contracts.Voices;

namespace Sawt.Gateway.Auth;

/// <summary>
/// Refuses to start with a key that is blank, repeated, or maps to an invalid tenant id (keys are never echoed), or
/// with a negative limit.
/// </summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    /// <summary>Shorter keys are guessable; operators generate them (e.g. <c>openssl rand -hex 24</c>).</summary>
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        NotNegative(options.RequestsPerMinute, $"{AuthOptions.SectionName}:RequestsPerMinute");
        NotNegative(options.MaxConcurrentContexts, $"{AuthOptions.SectionName}:MaxConcurrentContexts");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var entry = options.Keys[i];
            if (string.IsNullOrWhiteSpace(entry.Key) || entry.Key.Length < MinKeyLength || entry.Key.Any(char.IsWhiteSpace))
            {
                failures.Add($"{AuthOptions.SectionName}:Keys:{i}:Key must be at least {MinKeyLength} characters without whitespace.");
            }
            else if (!seen.Add(entry.Key))
            {
                failures.Add($"{AuthOptions.SectionName}:Keys:{i}:Key repeats an earlier key.");
            }

            if (!VoiceKeys.IsValidTenant(entry.Tenant))
            {
                failures.Add($"{AuthOptions.SectionName}:Keys:{i}:Tenant must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '-', '.'.");
            }

            NotNegative(entry.RequestsPerMinute, $"{AuthOptions.SectionName}:Keys:{i}:RequestsPerMinute");
            NotNegative(entry.MaxConcurrentContexts, $"{AuthOptions.SectionName}:Keys:{i}:MaxConcurrentContexts");
        }

        for (var i = 0; i < options.OperatorKeys.Count; i++)
        {
            var key = options.OperatorKeys[i];
            if (string.IsNullOrWhiteSpace(key) || key.Length < MinKeyLength || key.Any(char.IsWhiteSpace))
            {
                failures.Add($"{AuthOptions.SectionName}:OperatorKeys:{i} must be at least {MinKeyLength} characters without whitespace.");
            }
            else if (!seen.Add(key))
            {
                // One key, one role: a key that is both a tenant's and an operator's would make every tenant app an operator.
                failures.Add($"{AuthOptions.SectionName}:OperatorKeys:{i} repeats an earlier key.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void NotNegative(int? value, string field)
        {
            if (value < 0)
            {
                failures.Add($"{field} must be 0 (no limit) or positive (was {value}).");
            }
        }
    }
}
