using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// Runs HTTP cases against the real gateway: the documented status, and for every error the gateway answers, the
/// JSON error body with the documented code (never an empty body).
/// </summary>
internal sealed class HttpCorpusRunner(Uri baseAddress, CancellationToken cancellationToken)
{
    public async Task<IReadOnlyList<string>> RunAsync(IReadOnlyList<HttpCase> cases)
    {
        var failures = new ConcurrentQueue<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (c, _) =>
        {
            try
            {
                if (await RunCaseAsync(http, c) is { } failure)
                {
                    failures.Enqueue($"{c.Id}: {failure}");
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Enqueue($"{c.Id}: {exception.GetType().Name}: {exception.Message}");
            }
        });
        return [.. failures];
    }

    private async Task<string?> RunCaseAsync(HttpClient http, HttpCase c)
    {
        // As written: System.Uri would otherwise repair malformed escapes and resolve dot segments before sending.
        var uri = new Uri(baseAddress + c.PathAndQuery.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), uri);
        if (c.Body is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (status != c.Expect.Status)
        {
            var got = status < 300 ? $"{content.Length} bytes of {response.Content.Headers.ContentType?.MediaType}" : Shorten(content);
            return $"status {status}, expected {c.Expect.Status}: {got}";
        }

        if (c.Expect.Code is not { } code)
        {
            return status == 200 && content.Length == 0 ? "200 without audio" : null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return $"error body is {response.Content.Headers.ContentType?.MediaType ?? "untyped"} ({content.Length} bytes), expected JSON";
        }

        var error = JsonDocument.Parse(content).RootElement.GetProperty("error");
        return error.GetProperty("code").GetString() == code
            && !string.IsNullOrEmpty(error.GetProperty("message").GetString())
            && error.GetProperty("retryable").ValueKind is JsonValueKind.True or JsonValueKind.False
                ? null
                : $"error {Shorten(content)}, expected code {code}";
    }

    private static string Shorten(byte[] content) =>
        content.Length <= 300 ? Encoding.UTF8.GetString(content) : Encoding.UTF8.GetString(content, 0, 300) + "...";
}
