using System.Text;
using System.Text.Json;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// A JSON object built from raw member values, so a member can hold what no serializer writes: invalid UTF-8, lone
/// surrogate escapes, 100 000 characters. Immutable: <see cref="With"/> returns a changed copy.
/// </summary>
internal sealed class RawJson
{
    private readonly (string Name, object Value)[] _members; // Value: byte[] (a raw JSON value) or RawJson

    private RawJson((string, object)[] members) => _members = members;

    /// <summary>Members as (name, raw JSON value bytes or nested <see cref="RawJson"/>).</summary>
    public static RawJson Of(params (string Name, object Value)[] members) => new(members);

    /// <summary>A string value, JSON-encoded.</summary>
    public static byte[] Str(string value) => JsonSerializer.SerializeToUtf8Bytes(value);

    /// <summary>A value written as raw JSON text (numbers, true, {}, escapes).</summary>
    public static byte[] Raw(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>A copy with the member at <paramref name="path"/> (<c>a.b</c> for nested) set to a raw JSON value.</summary>
    public RawJson With(string path, byte[] value) => WithMember(path, value);

    /// <summary>A copy with the member at <paramref name="path"/> set to a nested object.</summary>
    public RawJson With(string path, RawJson value) => WithMember(path, value);

    /// <summary>A copy without the member at <paramref name="path"/>.</summary>
    public RawJson Without(string path) => WithMember(path, null);

    private RawJson WithMember(string path, object? value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? path : path[..dot];
        var members = _members.ToList();
        var index = members.FindIndex(m => m.Name == name);
        object? replacement = dot < 0
            ? value
            : ((index >= 0 ? members[index].Value as RawJson : null) ?? Of()).WithMember(path[(dot + 1)..], value);
        if (index >= 0)
        {
            members.RemoveAt(index);
        }

        if (replacement is not null)
        {
            members.Insert(index >= 0 ? index : members.Count, (name, replacement));
        }

        return new RawJson([.. members]);
    }

    public byte[] ToBytes()
    {
        var bytes = new List<byte> { (byte)'{' };
        foreach (var (name, value) in _members)
        {
            if (bytes.Count > 1)
            {
                bytes.Add((byte)',');
            }

            bytes.AddRange(Str(name));
            bytes.Add((byte)':');
            bytes.AddRange(value is RawJson nested ? nested.ToBytes() : (byte[])value);
        }

        bytes.Add((byte)'}');
        return [.. bytes];
    }
}
