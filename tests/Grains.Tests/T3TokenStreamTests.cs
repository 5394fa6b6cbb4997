using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Grains.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// A T3 worker lost after the session heard part of a sentence (its activation deactivated under the streamed call, as
/// Orleans does when a leaving silo owned its directory entry): the utterance ends retryably, with a hint, instead of
/// with internal_error.
/// </summary>
[Trait("Category", "Unit")]
public sealed class T3TokenStreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkerDeactivatedAfterTheFirstTokens_ReadEndsWithRetryableUnavailable()
    {
        // Nothing is replaced after the first batch, so the choice's registry and resolver are never asked.
        var choice = new WorkerChoice<IT3WorkerGrain>(null!, WorkerKind.T3, null!, _ => null!);
        await using var stream = new T3TokenStream(choice, _ => new LostAfterFirstBatch(), Token);
        var tokens = new List<long>();

        Assert.True(await stream.ReadAsync(tokens, Token));
        var lost = await Assert.ThrowsAsync<SessionRejectedException>(() => stream.ReadAsync(tokens, Token).AsTask());

        Assert.Equal([1L, 2L], tokens);
        Assert.Equal(("unavailable", true), (lost.Code, lost.Retryable));
        Assert.True(lost.RetryAfterSeconds > 0);
    }

    /// <summary>A worker's token stream that yields one batch, then finds its enumerator gone.</summary>
    private sealed class LostAfterFirstBatch : IAsyncEnumerator<TokenBatch>
    {
        private int _moves;

        public TokenBatch Current { get; } = new([1, 2], null);

        public ValueTask<bool> MoveNextAsync() => ++_moves == 1
            ? ValueTask.FromResult(true)
            : ValueTask.FromException<bool>(new EnumerationAbortedException("Enumeration aborted: the remote target does not have a record of this enumerator."));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
