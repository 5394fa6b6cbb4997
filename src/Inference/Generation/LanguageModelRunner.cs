using Microsoft.ML.OnnxRuntime;
using Sawt.Inference.Bundles;

namespace Sawt.Inference.Generation;

/// <summary>One language-model graph (the target, or the draft of speculative decoding) with its cache layout.</summary>
internal sealed class LanguageModelRunner(InferenceSession session, LanguageModelInfo info, KvLayout layout)
{
    public InferenceSession Session { get; } = session;

    public LanguageModelInfo Info { get; } = info;

    public KvLayout Layout { get; } = layout;
}
