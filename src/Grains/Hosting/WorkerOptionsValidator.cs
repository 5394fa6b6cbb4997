using Microsoft.Extensions.Options;

namespace Sawt.Grains.Hosting;

/// <summary>Fails start on an invalid <c>Sawt:Workers</c> section, with the message naming the bad entry.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        try
        {
            _ = options.ParsedDevices;
            options.DecoderBatching.Validate();
            if (options.FirstDecodeAllowanceMilliseconds < 0 || options.MaxKvCacheMegabytes < 0)
            {
                return ValidateOptionsResult.Fail($"{WorkerOptions.SectionName}:FirstDecodeAllowanceMilliseconds and MaxKvCacheMegabytes must not be negative.");
            }

            if (options.IdleAdmitAfter < TimeSpan.Zero)
            {
                return ValidateOptionsResult.Fail($"{WorkerOptions.SectionName}:IdleAdmitAfter must not be negative.");
            }

            if (options.FirstAudioTargetMilliseconds is { } target && !(target > options.FirstDecodeAllowanceMilliseconds))
            {
                return ValidateOptionsResult.Fail($"{WorkerOptions.SectionName}:FirstAudioTargetMilliseconds ({target}) must be larger than FirstDecodeAllowanceMilliseconds ({options.FirstDecodeAllowanceMilliseconds}).");
            }

            return ValidateOptionsResult.Success;
        }
        catch (FormatException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
        catch (Sawt.Inference.InferenceException ex)
        {
            return ValidateOptionsResult.Fail($"{WorkerOptions.SectionName}: {ex.Message}");
        }
    }
}
