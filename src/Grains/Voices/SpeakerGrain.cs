using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Voices;

/// <summary>
/// One voice. Conditionals are computed once on a T3 worker and kept in memory by this grain (Redis-backed
/// storage arrives with its own issue); "default" lives in every worker's bundle and needs no enrolment.
/// </summary>
internal sealed class SpeakerGrain : Grain, ISpeakerGrain
{
    private VoiceConditionalsPayload? _conditionals;

    public Task<VoiceConditionalsPayload> GetConditionals() => _conditionals is { } c
        ? Task.FromResult(c)
        : throw new SessionRejectedException("unknown_voice", $"Voice '{this.GetPrimaryKeyString()}' is not enrolled.", retryable: false);

    public async Task Enroll(byte[] wav)
    {
        if (this.GetPrimaryKeyString() == VoiceIds.Default)
        {
            throw new SessionRejectedException("invalid_request", "The default voice comes from the model bundle and cannot be replaced.", retryable: false);
        }

        var worker = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).Pick(WorkerKind.T3) ?? throw Rejections.NoWorkers("T3");
        _conditionals = await GrainFactory.GetGrain<IT3WorkerGrain>(worker.WorkerKey).EncodeVoice(wav);
    }

    public Task<bool> Exists() => Task.FromResult(_conditionals is not null || this.GetPrimaryKeyString() == VoiceIds.Default);
}
