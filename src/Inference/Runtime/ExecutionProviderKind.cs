namespace Sawt.Inference.Runtime;

public enum ExecutionProviderKind
{
    /// <summary>CUDA when it can be loaded, otherwise CPU with a logged warning.</summary>
    Auto,
    Cpu,
    Cuda,
}
