namespace Sawt.Inference.Decoding;

/// <summary>
/// A request's decoder quality tier, mapped onto the variants a decoder worker has loaded: <see cref="Fast"/> the
/// fewest estimator calls, <see cref="Best"/> the most, <see cref="Balanced"/> the deployment's default (the first
/// configured variant; n6 is the recommended one).
/// </summary>
public enum DecoderQuality
{
    Balanced,
    Fast,
    Best,
}
