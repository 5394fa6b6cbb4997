namespace Sawt.Inference.Runtime;

/// <summary>Which execution provider to run graphs on: <c>auto</c>, <c>cpu</c> or <c>cuda:N</c>.</summary>
public sealed record ExecutionProviderChoice
{
    private ExecutionProviderChoice(ExecutionProviderKind kind, int deviceId)
    {
        Kind = kind;
        DeviceId = deviceId;
    }

    public static ExecutionProviderChoice Auto { get; } = new(ExecutionProviderKind.Auto, 0);

    public static ExecutionProviderChoice Cpu { get; } = new(ExecutionProviderKind.Cpu, 0);

    public ExecutionProviderKind Kind { get; }

    /// <summary>CUDA device ordinal (for <c>auto</c>, the device tried first).</summary>
    public int DeviceId { get; }

    public static ExecutionProviderChoice Cuda(int deviceId) => new(ExecutionProviderKind.Cuda, deviceId);

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (case-insensitive).</summary>
    public static ExecutionProviderChoice Parse(string? text)
    {
        var value = (text ?? "auto").Trim().ToLowerInvariant();
        if (value is "auto" or "")
        {
            return Auto;
        }

        if (value == "cpu")
        {
            return Cpu;
        }

        if (value == "cuda")
        {
            return Cuda(0);
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            return Cuda(id);
        }

        throw new InferenceException(InferenceErrorCode.InvalidOptions,
            $"Execution provider '{text}' is not one of auto, cpu, cuda:N.");
    }

    public override string ToString() => Kind switch
    {
        ExecutionProviderKind.Cuda => $"cuda:{DeviceId}",
        ExecutionProviderKind.Cpu => "cpu",
        _ => "auto",
    };
}
