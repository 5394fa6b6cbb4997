using Microsoft.Extensions.Logging;
using Sawt.Inference.Bundles;

namespace Sawt.Inference.Text;

/// <summary>Picks the tokenizer of a loaded bundle's layout, so the engine's callers never name one.</summary>
internal static class LayoutTokenizer
{
    public static ITextTokenizer Load(ModelBundle bundle, ILoggerFactory loggerFactory) => bundle.Layout switch
    {
        BundleLayout.Turbo => TurboTextTokenizer.Load(bundle.Files.Directory, logger: loggerFactory.CreateLogger<TurboTextTokenizer>()),
        _ => ChatterboxTextTokenizer.Load(bundle.Files.Directory, loggerFactory.CreateLogger<ChatterboxTextTokenizer>()),
    };
}
