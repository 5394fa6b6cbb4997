using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Sawt.Gateway.Protocol;

/// <summary>
/// Typed reads of one JSON object's fields. A wrong type is <c>invalid_request</c>; a string that is not valid text
/// (<see cref="TextRules"/>) is <c>invalid_text</c>. Strings are decoded from the raw JSON, never with
/// <see cref="JsonElement.GetString"/>, which throws for lone surrogate escapes and invalid UTF-8 that the parser
/// lets through. A field set to null reads as absent. Messages name fields by their path (<c>output_format.encoding</c>).
/// </summary>
internal readonly struct JsonFields(JsonElement obj, string path = "")
{
    public string? String(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? TextRules.DecodeUtf8(JsonMarshal.GetRawUtf8Value(value)[1..^1], jsonEscapes: true, $"Field '{path}{name}'")
            : throw Invalid(name, "a string");
    }

    /// <summary>The raw value of a field of any type, or null when absent (or null).</summary>
    public JsonElement? Value(string name) => TryGet(name, out var value) ? value : null;

    public string RequiredString(string name) =>
        String(name) ?? throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field '{path}{name}' is required.");

    /// <summary>The field when it is a string of valid text, else null; never throws (for echoing ids in refusals).</summary>
    public string? StringOrNull(string name) =>
        TryGet(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && TextRules.TryDecodeUtf8(JsonMarshal.GetRawUtf8Value(value)[1..^1], jsonEscapes: true, out var text)
            ? text
            : null;

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "true or false"),
        };
    }

    public int? Int(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw Invalid(name, "an integer");
    }

    public ulong? ULong(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var result)
            ? result
            : throw Invalid(name, "a non-negative integer");
    }

    public double? Double(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var result) && double.IsFinite(result)
            ? result
            : throw Invalid(name, "a number");
    }

    public float? Float(string name)
    {
        // A finite double can still overflow float (1e300): that is out of range, not infinity.
        if (Double(name) is not { } number)
        {
            return null;
        }

        return float.IsFinite((float)number) ? (float)number : throw Invalid(name, "a number within float range");
    }

    public JsonFields? Object(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? new JsonFields(value, $"{path}{name}.")
            : throw Invalid(name, "an object");
    }

    public int[]? IntArray(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, "an array of integers");
        }

        var result = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var number))
            {
                throw Invalid(name, "an array of integers");
            }

            result.Add(number);
        }

        return [.. result];
    }

    /// <summary>
    /// Looks a field up by name; with duplicate names the last one counts, as in
    /// <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/>. That method cannot be used: it throws when it
    /// walks past a name that is not valid text (a lone surrogate escape), so names are compared from their raw bytes
    /// here, and unknown fields are ignored whatever their names.
    /// </summary>
    private bool TryGet(string name, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var property in obj.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            // Field names the gateway reads are ASCII: raw bytes compare directly unless the name has escapes.
            var matches = raw.IndexOf((byte)'\\') < 0
                ? Ascii.Equals(raw, name)
                : TextRules.TryDecodeUtf8(raw, jsonEscapes: true, out var decoded) && decoded == name;
            if (matches)
            {
                value = property.Value;
                found = true;
            }
        }

        return found && value.ValueKind != JsonValueKind.Null;
    }

    private ProtocolException Invalid(string name, string expected) =>
        new(ErrorCodes.InvalidRequest, $"Field '{path}{name}' must be {expected}.");
}
