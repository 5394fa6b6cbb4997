using System.Globalization;

namespace Sawt.EndToEnd.Tests.Telemetry;

/// <summary>One scrape of a Prometheus text endpoint: samples by metric name, each with its labels.</summary>
internal sealed class PrometheusScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples = [];

    private PrometheusScrape(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            // name{labels} value [timestamp]; label values may hold spaces, so the labels end at the last '}'.
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            string name, labels, rest;
            if (brace >= 0 && (space < 0 || brace < space))
            {
                var close = line.LastIndexOf('}');
                name = line[..brace];
                labels = line[(brace + 1)..close];
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                name = line[..space];
                labels = string.Empty;
                rest = line[(space + 1)..].Trim();
            }

            var value = rest.Split(' ')[0];
            _samples.Add((name, labels, value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(value, CultureInfo.InvariantCulture),
            }));
        }
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> GetAsync(HttpClient http, CancellationToken cancellationToken) =>
        new(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken));

    /// <summary>True when a sample of <paramref name="name"/> (with a label containing <paramref name="label"/>) exists.</summary>
    public bool Has(string name, string? label = null) => Samples(name, label).Any();

    /// <summary>The sum of <paramref name="name"/>'s samples (those whose labels contain <paramref name="label"/>); 0 when none.</summary>
    public double Sum(string name, string? label = null) => Samples(name, label).Sum(s => s.Value);

    public IEnumerable<(string Labels, double Value)> Samples(string name, string? label = null) =>
        _samples
            .Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal)))
            .Select(s => (s.Labels, s.Value));
}
