namespace Sawt.Inference.Sampling;

/// <summary>The order of the sampling steps and the defaults of the filters a request leaves unset, per model family.</summary>
public enum SamplingOrder
{
    /// <summary>
    /// model-contract.md 6.1: repetition penalty, temperature, min-p (default 0.05), top-p (default 1), softmax, draw.
    /// No top-k step.
    /// </summary>
    Multilingual,

    /// <summary>
    /// model-contract.md 6.2 (Chatterbox-Turbo): temperature, top-k (default 1000), top-p (default 0.95), repetition
    /// penalty after the filters, softmax, draw. No min-p step.
    /// </summary>
    Turbo,
}
