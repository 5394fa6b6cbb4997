using System.Text.Json;

namespace Sawt.Gateway.Protocol;

/// <summary>Typed reads of optional and required JSON fields; a wrong type is an <c>invalid_request</c>.</summary>
internal static class JsonFields
{
    public static bool Has(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static string? String(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Invalid(name, "a string");
    }

    public static string RequiredString(JsonElement obj, string name) =>
        String(obj, name) ?? throw new ProtocolException(ErrorCodes.InvalidRequest, $"Field '{name}' is required.");

    public static bool? Bool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
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

    public static int? Int(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw Invalid(name, "an integer");
    }

    public static ulong? ULong(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var result)
            ? result
            : throw Invalid(name, "a non-negative integer");
    }

    public static double? Double(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var result) && double.IsFinite(result)
            ? result
            : throw Invalid(name, "a number");
    }

    public static float? Float(JsonElement obj, string name) => Double(obj, name) is { } d ? (float)d : null;

    public static JsonElement? Object(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Invalid(name, "an object");
    }

    public static int[]? IntArray(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
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

    private static ProtocolException Invalid(string name, string expected) =>
        new(ErrorCodes.InvalidRequest, $"Field '{name}' must be {expected}.");
}
