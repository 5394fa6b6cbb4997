using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Sawt.Gateway.Http;

/// <summary>
/// The demo page (embedded <c>Demo/index.html</c>), read once, and the Content-Security-Policy that fits it: its one
/// inline script and style are allowed by their SHA-256 hashes, its own scripts (the playground bundle) by origin (computed here from the page itself, so an edit of the
/// page never needs a hand-updated hash), its WebSocket goes to this origin, and nothing else loads.
/// </summary>
internal static partial class DemoPage
{
    private static readonly Lazy<byte[]> Page = new(Load);
    private static readonly Lazy<string> Policy = new(() => BuildPolicy(Encoding.UTF8.GetString(Page.Value)));

    public static ReadOnlyMemory<byte> Html => Page.Value;

    public static string ContentSecurityPolicy => Policy.Value;

    /// <summary>The policy for <paramref name="html"/>: each inline <c>script</c> and <c>style</c> block by hash.</summary>
    public static string BuildPolicy(string html) =>
        $"default-src 'none'; script-src {string.Join(' ', ["'self'", .. HashList(ScriptBlock(), html)])}; style-src {Hashes(StyleBlock(), html)}; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static string Hashes(Regex block, string html)
    {
        var hashes = HashList(block, html);
        return hashes.Length == 0 ? "'none'" : string.Join(' ', hashes);
    }

    private static string[] HashList(Regex block, string html) =>
        [.. block.Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'")];

    private static byte[] Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Sawt.Gateway.Demo.index.html")
            ?? throw new InvalidOperationException("The demo page resource is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // The hash covers exactly the text between the tags, as browsers hash it.
    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
