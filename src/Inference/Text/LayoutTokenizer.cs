using Microsoft.Extensions.Logging;
using Sawt.Inference.Bundles;

namespace Sawt.Inference.Text;

/// <summary>Picks the tokenizer of a loaded bundle's layout, so the engine's callers never name one.</summary>
internal static class LayoutTokenizer
{
    public static ITextTokenizer Load(ModelBundle bundle, ILoggerFactory loggerFactory) => bundle.Layout switch
    {
        BundleLayout.Turbo => throw new InferenceException(InferenceErrorCode.BundleMetadataInvalid,
            $"Model bundle '{bundle.Files.Directory}' is a Chatterbox-Turbo bundle; its GPT-2 tokenizer is not part of this build yet."),
        _ => ChatterboxTextTokenizer.Load(bundle.Files.Directory, loggerFactory.CreateLogger<ChatterboxTextTokenizer>()),
    };
}
