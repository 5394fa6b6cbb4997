using System.Text.Json;

namespace Sawt.Inference.Text;

/// <summary>
/// Reads one of a bundle's JSON files and parses it, turning every way the file can be absent, unreadable or malformed
/// into an <see cref="InferenceException"/> that names it (BundleFileMissing or BundleMetadataInvalid).
/// </summary>
internal static class BundleJsonFile
{
    /// <param name="path">The file.</param>
    /// <param name="owner">What should have it, for the missing-file message (e.g. "bundle").</param>
    /// <param name="parse">Reads the document; may throw the JSON accessors' exceptions.</param>
    /// <param name="invalid">The error for a malformed file, from the reason and the exception behind it.</param>
    public static T Read<T>(string path, string owner, Func<JsonElement, T> parse, Func<string, Exception, InferenceException> invalid)
    {
        var fileName = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new InferenceException(InferenceErrorCode.BundleFileMissing, $"The {owner} has no {fileName}: '{path}' does not exist.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InferenceException(InferenceErrorCode.BundleFileMissing, $"{fileName} at '{path}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw invalid($"it is not valid JSON ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw invalid(ex.Message, ex);
        }
        catch (KeyNotFoundException ex)
        {
            throw invalid($"a required property is missing ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            // JsonElement accessors throw this when a value has the wrong JSON kind.
            throw invalid($"a value has the wrong JSON type ({ex.Message})", ex);
        }
    }
}
