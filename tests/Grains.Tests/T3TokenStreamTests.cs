using Sawt.Contracts.Sessions;
using Sawt.Contracts.Workers;
using Sawt.Grains.Sessions;

namespace Sawt.Grains.Tests;

/// <summary>
/// A T3 worker lost after the session heard part of a sentence (its activation deactivated under the streamed call, as
/// Orleans does when a leaving silo owned its directory entry): the utterance ends retryably, with a hint, instead of
/// with internal_error, or with no final event at all when the worker's side cancelled the call.
/// </summary>
[Trait("Category", "Unit")]
public sealed class T3TokenStreamTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>How the worker's side ends a streamed call when its activation goes: the enumerator forgotten, or cancelled.</summary>
    public static TheoryData<string> WorkerLosses => ["aborted", "cancelled"];

    [Theory]
    [MemberData(nameof(WorkerLosses))]
    public async Task WorkerDeactivatedAfterTheFirstTokens_ReadEndsWithRetryableUnavailable(string loss)
    {
        // Nothing is replaced after the first batch, so the choice's registry and resolver are never asked.
        var choice = new WorkerChoice<IT3WorkerGrain>(null!, WorkerKind.T3, null!, _ => null!);
        await using var stream = new T3TokenStream(choice, _ => new LostAfterFirstBatch(Loss(loss)), Token);
        var tokens = new List<long>();

        Assert.True(await stream.ReadAsync(tokens, Token));
        var lost = await Assert.ThrowsAsync<SessionRejectedException>(() => stream.ReadAsync(tokens, Token).AsTask());

        Assert.Equal([1L, 2L], tokens);
        Assert.Equal(("unavailable", true), (lost.Code, lost.Retryable));
        Assert.True(lost.RetryAfterSeconds > 0);
    }

    [Fact]
    public async Task SessionCancelledWhileReading_TheCancellationIsTheSessions_NotALostWorker()
    {
        var choice = new WorkerChoice<IT3WorkerGrain>(null!, WorkerKind.T3, null!, _ => null!);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(Token);
        await using var stream = new T3TokenStream(choice, _ => new LostAfterFirstBatch(new OperationCanceledException(session.Token)), session.Token);
        var tokens = new List<long>();

        Assert.True(await stream.ReadAsync(tokens, session.Token));
        await session.CancelAsync();

        var cancelled = await Record.ExceptionAsync(() => stream.ReadAsync(tokens, Token).AsTask());
        Assert.IsType<OperationCanceledException>(cancelled, exactMatch: false);
    }

    /// <summary>
    /// What Orleans' client raises: a forgotten enumerator (the activation was replaced), or a bare cancellation when
    /// the worker's side cancelled the enumeration as its activation was deactivated under the call.
    /// </summary>
    private static Exception Loss(string loss) => loss switch
    {
        "aborted" => new EnumerationAbortedException("Enumeration aborted: the remote target does not have a record of this enumerator."),
        _ => new OperationCanceledException(),
    };

    /// <summary>A worker's token stream that yields one batch, then fails with <paramref name="loss"/>.</summary>
    private sealed class LostAfterFirstBatch(Exception loss) : IAsyncEnumerator<TokenBatch>
    {
        private int _moves;

        public TokenBatch Current { get; } = new([1, 2], null);

        public ValueTask<bool> MoveNextAsync() => ++_moves == 1
            ? ValueTask.FromResult(true)
            : ValueTask.FromException<bool>(loss);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
