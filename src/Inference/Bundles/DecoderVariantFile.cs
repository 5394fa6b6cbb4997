namespace Sawt.Inference.Bundles;

/// <summary>
/// One decoder graph of a bundle: the variant's name (<c>n4</c>, <c>n6</c>, <c>n10</c> for the v2 re-export; <c>fp32</c>
/// for the plain <c>conditional_decoder.onnx</c>; <c>fp16</c>, <c>quantized</c>, <c>q4</c>, <c>q4f16</c> for its
/// suffixed files) and where it is.
/// </summary>
public sealed record DecoderVariantFile(string Name, string Path)
{
    /// <summary>The step count the file name promises (<c>n6</c>: 6), or null when only the graph or the layout can tell.</summary>
    public int? NamedSteps => Name.StartsWith('n') && int.TryParse(Name.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var steps) ? steps : null;
}
