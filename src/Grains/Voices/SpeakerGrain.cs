using System.Security.Cryptography;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;

namespace Sawt.Grains.Voices;

/// <summary>
/// One voice. Conditionals are computed once on a T3 worker and kept in grain storage, so an idle speaker grain may
/// be collected without losing its voice (in-memory storage in the embedded default; Redis arrives with its own
/// issue). "default" lives in every worker's bundle and needs no enrolment.
/// </summary>
internal sealed class SpeakerGrain([PersistentState("voice", SpeakerGrain.StorageName)] IPersistentState<SpeakerGrain.VoiceState> state) : Grain, ISpeakerGrain
{
    /// <summary>Grain storage that holds enrolled voices.</summary>
    public const string StorageName = "voices";

    public Task<SpeakerVoice> GetConditionals() => state.State.Voice is { } voice
        ? Task.FromResult(voice)
        : throw UnknownVoice();

    public async Task<string> Enroll(byte[] wav)
    {
        if (IsDefault)
        {
            throw new SessionRejectedException("invalid_request", "The default voice comes from the model bundle and cannot be replaced.", retryable: false);
        }

        var worker = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).Pick(WorkerKind.T3) ?? throw Rejections.NoWorkers("T3");
        var conditionals = await GrainFactory.GetGrain<IT3WorkerGrain>(worker.WorkerKey).EncodeVoice(wav);

        // The same clip always gives the same revision, so re-uploading it keeps every cache valid.
        var revision = Convert.ToHexStringLower(SHA256.HashData(wav).AsSpan(0, 8));
        state.State = new VoiceState { Voice = new SpeakerVoice(revision, conditionals) };
        await state.WriteStateAsync();
        return revision;
    }

    public Task<bool> Exists() => Task.FromResult(IsDefault || state.State.Voice is not null);

    public Task<string?> GetRevision() => Task.FromResult(IsDefault ? VoiceIds.DefaultRevision : state.State.Voice?.Revision);

    private bool IsDefault => this.GetPrimaryKeyString() == VoiceIds.Default;

    private SessionRejectedException UnknownVoice() =>
        new("unknown_voice", $"Voice '{this.GetPrimaryKeyString()}' is not enrolled.", retryable: false);

    /// <summary>What the voice storage keeps per voice.</summary>
    [GenerateSerializer, Alias("sawt.speaker-state")]
    internal sealed class VoiceState
    {
        [Id(0)] public SpeakerVoice? Voice { get; init; }
    }
}
