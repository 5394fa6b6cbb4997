using System.Security.Cryptography;
using System.Text;

namespace Sawt.Inference.Bundles;

/// <summary>
/// A cheap, stable name for what a bundle's speech encoder computes, for keying stored voice conditionals: a hash of
/// the encoder graph's (and its <c>.onnx_data</c> sidecar's) names, sizes and first and last
/// <see cref="SampleBytes"/> bytes. Reading whole weight files (hundreds of MB) at every load would cost seconds;
/// a re-export or another precision changes the size or the head and tail, so it changes the identity.
/// </summary>
public static class BundleIdentity
{
    /// <summary>Bytes read from each end of each file.</summary>
    public const int SampleBytes = 64 * 1024;

    /// <summary>16 lowercase hex digits naming the encoder files' content.</summary>
    public static string Compute(BundleFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("sawt-bundle-identity/1\n"u8);
        foreach (var path in new[] { files.SpeechEncoder, files.SpeechEncoder + "_data" })
        {
            if (!File.Exists(path))
            {
                continue;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
            var length = stream.Length;
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(path)}:{length}\n"));
            var buffer = new byte[(int)Math.Min(length, 2L * SampleBytes)];
            if (length <= 2L * SampleBytes)
            {
                stream.ReadExactly(buffer);
            }
            else
            {
                stream.ReadExactly(buffer, 0, SampleBytes);
                stream.Seek(-SampleBytes, SeekOrigin.End);
                stream.ReadExactly(buffer, SampleBytes, SampleBytes);
            }

            hash.AppendData(buffer);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 8));
    }
}
