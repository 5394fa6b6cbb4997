using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sawt.Protocol;

/// <summary>Timestamps on the wire: UTC, ISO 8601 with milliseconds and a <c>Z</c> (<c>2026-11-30T07:00:00.123Z</c>).</summary>
internal sealed class UtcMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
