namespace Sawt.Inference.Generation;

/// <summary>Something that generates speech tokens for a request: the engine's scheduler, or a T3 worker.</summary>
public interface ISpeechTokenGenerator
{
    GenerationHandle Submit(GenerationRequest request, CancellationToken cancellationToken = default);
}
