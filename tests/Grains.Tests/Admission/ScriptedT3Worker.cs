using System.Runtime.CompilerServices;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Tests.Admission;

/// <summary>
/// A T3 worker that answers every job with a script: a refusal, or an admission batch (when asked for), then the
/// tokens once <see cref="ReleaseTokens"/> was called, then the end. Records the jobs it was given.
/// </summary>
internal sealed class ScriptedT3Worker(SessionRejectedException? refusal = null) : IT3WorkerGrain
{
    public static readonly long[] Tokens = [11, 12, 13];

    private readonly TaskCompletionSource _tokens = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<T3Job> Jobs { get; } = [];

    public void ReleaseTokens() => _tokens.TrySetResult();

    public async IAsyncEnumerable<TokenBatch> Generate(T3Job job, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Jobs.Add(job);
        await Task.Yield();
        if (refusal is not null && !job.Continuation)
        {
            throw refusal;
        }

        if (job.ReportAdmission)
        {
            yield return new TokenBatch([], null) { Admitted = true };
        }

        await _tokens.Task.WaitAsync(cancellationToken);
        yield return new TokenBatch(Tokens, null);
        yield return new TokenBatch([], "EndOfSpeech");
    }

    public Task<WorkerLoadReport> Activate() => throw new NotSupportedException();

    public Task<VoiceConditionalsPayload> EncodeVoice(byte[] wav, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<string> GetBundleIdentity() => throw new NotSupportedException();

    public Task ForgetVoice(string voiceKey, string? keepRevision) => throw new NotSupportedException();

    public Task<VoiceStoreStats> GetVoiceStoreStats() => throw new NotSupportedException();
}
