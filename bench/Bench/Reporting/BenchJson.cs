using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sawt.Bench.Reporting;

/// <summary>Writes a <see cref="BenchJsonDocument{TReport}"/> to a file (whole file; a rerun replaces it).</summary>
internal static class BenchJson
{
    public static string Serialize<TReport>(BenchJsonDocument<TReport> document, JsonTypeInfo<BenchJsonDocument<TReport>> typeInfo) =>
        JsonSerializer.Serialize(document, typeInfo);

    public static void Write<TReport>(string path, BenchJsonDocument<TReport> document, JsonTypeInfo<BenchJsonDocument<TReport>> typeInfo)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Serialize(document, typeInfo) + "\n");
    }
}
