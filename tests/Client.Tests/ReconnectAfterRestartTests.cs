using Sawt.Client.Tests.Infrastructure;
using Sawt.Silo;

namespace Sawt.Client.Tests;

/// <summary>
/// The server restarts under a connected client: a second embedded cluster (open mode, its own ports) is stopped while
/// a context is in flight, and a new one started on the same HTTP port. The context fails with a typed, retryable
/// error; the same connection reconnects with backoff, and a new context on it is spoken to the end.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ReconnectAfterRestartTests(ClientClusterFixture cluster)
{
    private static readonly ReconnectPolicy Patient = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
        MaxAttempts = null,
    };

    [Fact]
    public async Task ServerRestart_InFlightContextFailsRetryable_ThenTheConnectionReconnectsAndSpeaks()
    {
        using var bound = Speech.Bound(240);
        var first = await EmbeddedClusterHost.StartAsync(cluster.BundleDirectory, cancellationToken: bound.Token);
        var firstStopped = false;
        EmbeddedClusterHost? second = null;
        try
        {
            using var client = new SawtClient(new SawtClientOptions { BaseAddress = first.BaseAddress, Reconnect = Patient });
            await using var connection = await client.ConnectAsync(bound.Token);
            var (before, _) = await Speech.SpeakAsync(connection, "Before the restart.", bound.Token);
            await using var inFlight = await connection.OpenContextAsync(Speech.English, bound.Token);
            await inFlight.SendTextAsync("This sentence waits for more", cancellationToken: bound.Token);

            await first.DisposeAsync();
            firstStopped = true;
            var lost = await Assert.ThrowsAsync<SawtException>(() => inFlight.Completion.WaitAsync(bound.Token));
            second = await EmbeddedClusterHost.StartAsync(
                cluster.BundleDirectory,
                extraArguments: ["--urls", $"http://127.0.0.1:{first.BaseAddress.Port}"],
                cancellationToken: bound.Token);
            var (after, done) = await Speech.SpeakAsync(connection, "After the restart.", bound.Token);

            Assert.NotEmpty(before);
            Assert.True(lost.Retryable, $"{lost.Code}: {lost.Message}");
            Assert.Equal(second.BaseAddress.Port, first.BaseAddress.Port);
            Assert.True(connection.Reconnections >= 1);
            Assert.Equal(done.Chunks, after.Count);
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
