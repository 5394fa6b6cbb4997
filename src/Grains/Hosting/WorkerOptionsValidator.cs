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
            return ValidateOptionsResult.Success;
        }
        catch (FormatException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
