using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;
using Sawt.Inference.Audio;

namespace Sawt.Grains.Voices;

/// <summary>
/// One voice. Conditionals are computed once on a T3 worker and kept in grain storage, so an idle speaker grain may
/// be collected without losing its voice (in-memory storage in the embedded default; Redis arrives with its own
/// issue). "default" lives in every worker's bundle and needs no enrolment. The key is tenant-scoped
/// (<see cref="VoiceKeys.Speaker"/>); the grain keeps its tenant's catalog (<see cref="IVoiceCatalogGrain"/>) in step
/// with its metadata on enrol, replace and delete.
/// </summary>
internal sealed class SpeakerGrain(
    [PersistentState("voice", SpeakerGrain.StorageName)] IPersistentState<SpeakerGrain.VoiceState> state,
    IOptions<WorkerOptions> workers,
    TimeProvider time) : Grain, ISpeakerGrain
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
        var info = Describe(wav, revision);
        state.State = new VoiceState { Voice = new SpeakerVoice(revision, conditionals), Info = info };
        await state.WriteStateAsync();

        // After the voice is stored: a crash in between leaves a usable voice missing from the list until its next
        // enrolment, never a listed voice that cannot be used.
        await Catalog.Upsert(info);
        return revision;
    }

    public Task<bool> Exists() => Task.FromResult(IsDefault || state.State.Voice is not null);

    public Task<string?> GetRevision() => Task.FromResult(IsDefault ? VoiceIds.DefaultRevision : state.State.Voice?.Revision);

    public Task<VoiceInfo?> GetInfo()
    {
        if (IsDefault)
        {
            return Task.FromResult<VoiceInfo?>(new VoiceInfo(VoiceIds.Default, VoiceIds.DefaultRevision, null, null, null, null, BundleName, ReadOnly: true));
        }

        return Task.FromResult(state.State switch
        {
            { Info: { } info } => info,
            { Voice: { } voice } => new VoiceInfo(VoiceId, voice.Revision, null, null, null, null, BundleName, ReadOnly: false),
            _ => null,
        });
    }

    public async Task<bool> Delete()
    {
        if (IsDefault)
        {
            throw new SessionRejectedException("invalid_request", "The default voice comes from the model bundle and cannot be deleted.", retryable: false);
        }

        if (state.State.Voice is null)
        {
            return false;
        }

        // Sessions resolve the revision through this grain at start, so once the state is cleared no session can start
        // with the voice. Silos' cached conditionals (LocalVoiceCache, keyed by revision) stay until its bound clears
        // them; only the same clip enrolled again gets that revision back, and then they are still right.
        await state.ClearStateAsync();
        state.State = new VoiceState();
        await Catalog.Remove(VoiceId);
        DeactivateOnIdle();
        return true;
    }

    private bool IsDefault => this.GetPrimaryKeyString() == VoiceIds.Default;

    /// <summary>The id the tenant knows this voice by (the key without its tenant prefix).</summary>
    private string VoiceId => VoiceKeys.ParseSpeaker(this.GetPrimaryKeyString()).VoiceId;

    private IVoiceCatalogGrain Catalog =>
        GrainFactory.GetGrain<IVoiceCatalogGrain>(VoiceKeys.Catalog(VoiceKeys.ParseSpeaker(this.GetPrimaryKeyString()).Tenant));

    /// <summary>
    /// The bundle the workers load: its directory name, or "synthetic" for the generated test bundle.
    /// TODO(#8): the voice store's bundle identity once it lands.
    /// </summary>
    private string BundleName => string.IsNullOrWhiteSpace(workers.Value.BundlePath)
        ? "synthetic"
        : Path.GetFileName(Path.TrimEndingDirectorySeparator(workers.Value.BundlePath));

    /// <summary>Metadata of an upload the worker has already accepted (so its header is valid).</summary>
    private VoiceInfo Describe(byte[] wav, string revision)
    {
        var header = WavReader.ReadInfo(wav);
        return new VoiceInfo(
            VoiceId,
            revision,
            Math.Round((double)header.Frames / header.SampleRate, 3),
            header.SampleRate,
            header.Channels,
            time.GetUtcNow(),
            BundleName,
            ReadOnly: false);
    }

    private SessionRejectedException UnknownVoice() =>
        new("unknown_voice", $"Voice '{VoiceId}' is not enrolled.", retryable: false);

    /// <summary>What the voice storage keeps per voice.</summary>
    [GenerateSerializer, Alias("sawt.speaker-state")]
    internal sealed class VoiceState
    {
        [Id(0)] public SpeakerVoice? Voice { get; init; }

        /// <summary>Metadata for the voices API; null for voices enrolled before it was kept.</summary>
        [Id(1)] public VoiceInfo? Info { get; init; }
    }
}
