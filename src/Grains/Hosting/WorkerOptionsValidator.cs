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
