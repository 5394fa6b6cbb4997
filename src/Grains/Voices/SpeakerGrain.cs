using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Contracts.Workers;
using Sawt.Grains.Hosting;
using Sawt.Inference;
using Sawt.Inference.Audio;
using Sawt.Inference.Voices;

namespace Sawt.Grains.Voices;

/// <summary>
/// One voice, and the one place its conditionals are computed: the grain is not reentrant, so concurrent first
/// requests from every silo wait for one computation. State (grain storage <c>voices</c>: Redis when configured) keeps
/// what is needed to recompute, the normalised reference and its content hash (the revision), and the voice's
/// metadata; the conditionals live in the voice store, keyed by bundle identity and that hash: this silo's memory,
/// then Redis, then a T3 worker. "default" lives in every worker's bundle and needs no enrolment. The key is
/// tenant-scoped (<see cref="VoiceKeys.Speaker"/>); the grain keeps its tenant's catalog
/// (<see cref="IVoiceCatalogGrain"/>) in step with its metadata on enrol, replace and delete.
/// </summary>
internal sealed partial class SpeakerGrain(
    [PersistentState("voice", SpeakerGrain.StorageName)] IPersistentState<SpeakerGrain.VoiceState> state,
    VoiceMemoryCache memory,
    RedisVoiceStore store,
    VoiceInstruments instruments,
    IOptions<WorkerOptions> workers,
    TimeProvider time,
    ILogger<SpeakerGrain> logger) : Grain, ISpeakerGrain
{
    /// <summary>Grain storage that holds enrolled voices.</summary>
    public const string StorageName = "voices";

    private static readonly TimeSpan ForgetBound = TimeSpan.FromSeconds(5);

    /// <summary>Bundles whose entry for the current revision could not be written to Redis (outage); retried on later calls.</summary>
    private readonly HashSet<string> _unsaved = new(StringComparer.Ordinal);

    public Task<SpeakerVoice> GetConditionalsFor(string bundleId, string workerKey) => state.State.Revision is null
        ? throw UnknownVoice()
        : ResolveAsync(bundleId, workerKey);

    public async Task<string> Enroll(byte[] wav)
    {
        if (IsDefault)
        {
            throw new SessionRejectedException("invalid_request", "The default voice comes from the model bundle and cannot be replaced.", retryable: false);
        }

        NormalizedReference reference;
        try
        {
            // Decoding and resampling up to 30 s of audio is CPU work: off the grain scheduler.
            reference = await Task.Run(() => NormalizedReference.FromWav(wav));
        }
        catch (InferenceException ex)
        {
            throw Rejections.From(ex);
        }

        var worker = await PickWorkerAsync();
        var bundle = await GrainFactory.GetGrain<IT3WorkerGrain>(worker).GetBundleIdentity();
        var previous = state.State;

        // The same audio always gives the same revision (in any WAV encoding), so re-uploading it keeps every cache
        // and the stored entry valid, and computes nothing.
        var info = Describe(wav, reference.ContentHash, bundle);
        state.State = new VoiceState { Revision = reference.ContentHash, Reference = reference.ToWav(), Info = info };
        try
        {
            _unsaved.Clear();
            await ResolveAsync(bundle, worker);
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }

        // After the voice is stored: a crash in between leaves a usable voice missing from the list until its next
        // enrolment, never a listed voice that cannot be used.
        await Catalog.Upsert(info);
        if (previous.Revision is { } old && old != reference.ContentHash)
        {
            await ForgetEverywhereAsync(reference.ContentHash);
        }

        return reference.ContentHash;
    }

    public Task<bool> Exists() => Task.FromResult(IsDefault || state.State.Revision is not null);

    public Task<string?> GetRevision() => Task.FromResult(IsDefault ? VoiceIds.DefaultRevision : state.State.Revision);

    public Task<VoiceInfo?> GetInfo()
    {
        if (IsDefault)
        {
            return Task.FromResult<VoiceInfo?>(new VoiceInfo(VoiceIds.Default, VoiceIds.DefaultRevision, null, null, null, null, BundleName, ReadOnly: true));
        }

        return Task.FromResult(state.State switch
        {
            { Info: { } info } => info,
            { Revision: { } revision } => new VoiceInfo(VoiceId, revision, null, null, null, null, BundleName, ReadOnly: false),
            _ => null,
        });
    }

    public async Task<bool> Delete()
    {
        if (IsDefault)
        {
            throw new SessionRejectedException("invalid_request", "The default voice comes from the model bundle and cannot be deleted.", retryable: false);
        }

        if (state.State.Revision is null)
        {
            return false;
        }

        // Sessions resolve the revision through this grain at start, so once the state is cleared no session can start
        // with the voice; then every silo's memory lets go of its conditionals. (The Redis entry is content-addressed,
        // may serve another voice with the same audio, and expires on its own.)
        await state.ClearStateAsync();
        state.State = new VoiceState();
        await Catalog.Remove(VoiceId);
        await ForgetEverywhereAsync(keepRevision: null);
        DeactivateOnIdle();
        return true;
    }

    private bool IsDefault => this.GetPrimaryKeyString() == VoiceIds.Default;

    /// <summary>The id the tenant knows this voice by (the key without its tenant prefix).</summary>
    private string VoiceId => VoiceKeys.ParseSpeaker(this.GetPrimaryKeyString()).VoiceId;

    private IVoiceCatalogGrain Catalog =>
        GrainFactory.GetGrain<IVoiceCatalogGrain>(VoiceKeys.Catalog(VoiceKeys.ParseSpeaker(this.GetPrimaryKeyString()).Tenant));

    /// <summary>What the default voice's metadata names as its bundle: the configured folder's name, or "synthetic".</summary>
    private string BundleName => string.IsNullOrWhiteSpace(workers.Value.BundlePath)
        ? "synthetic"
        : Path.GetFileName(Path.TrimEndingDirectorySeparator(workers.Value.BundlePath));

    /// <summary>Metadata of an upload the worker has already accepted (so its header is valid).</summary>
    private VoiceInfo Describe(byte[] wav, string revision, string bundle)
    {
        var header = WavReader.ReadInfo(wav);
        return new VoiceInfo(
            VoiceId,
            revision,
            Math.Round((double)header.Frames / header.SampleRate, 3),
            header.SampleRate,
            header.Channels,
            time.GetUtcNow(),
            bundle,
            ReadOnly: false);
    }

    /// <summary>Memory, then Redis, then a computation on <paramref name="workerKey"/>'s T3 worker (whose bundle is <paramref name="bundle"/>).</summary>
    private async Task<SpeakerVoice> ResolveAsync(string bundle, string workerKey)
    {
        var revision = state.State.Revision!;
        if (memory.TryGet(bundle, revision, out var voice))
        {
            instruments.Hit(VoiceInstruments.MemoryLayer);
            if (_unsaved.Contains(bundle) && await store.TryPutAsync(bundle, revision, voice))
            {
                _unsaved.Remove(bundle);
            }
        }
        else
        {
            instruments.Miss(VoiceInstruments.MemoryLayer);
            voice = await store.TryGetAsync(bundle, revision) ?? await ComputeAsync(bundle, revision, workerKey);
            memory.Put(this.GetPrimaryKeyString(), bundle, revision, voice);
        }

        return new SpeakerVoice(revision, voice.ToPayload());
    }

    private async Task<VoiceConditionals> ComputeAsync(string bundle, string revision, string workerKey)
    {
        var reference = state.State.Reference ?? throw UnknownVoice();
        var voice = (await GrainFactory.GetGrain<IT3WorkerGrain>(workerKey).EncodeVoice(reference)).ToConditionals();
        instruments.Encoded();
        LogComputed(logger, this.GetPrimaryKeyString(), revision, bundle, workerKey);
        if (store.IsEnabled && !await store.TryPutAsync(bundle, revision, voice))
        {
            _unsaved.Add(bundle);
        }

        return voice;
    }

    /// <summary>
    /// Tells every silo (through each T3 worker the registry lists) to drop this voice's conditionals but
    /// <paramref name="keepRevision"/>'s. Best effort, bounded: a silo that misses it holds a stale entry only until its
    /// memory layer evicts it, and no session can ask for a revision the grain no longer has.
    /// </summary>
    private async Task ForgetEverywhereAsync(string? keepRevision)
    {
        var key = this.GetPrimaryKeyString();
        memory.Forget(key, keepRevision);
        var workers = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).List();
        await Task.WhenAll(workers.Where(w => w.Kind == WorkerKind.T3).Select(async worker =>
        {
            try
            {
                await GrainFactory.GetGrain<IT3WorkerGrain>(worker.WorkerKey).ForgetVoice(key, keepRevision).WaitAsync(ForgetBound);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                LogForgetFailed(logger, ex, key, worker.WorkerKey);
            }
        }));
    }

    private async Task<string> PickWorkerAsync()
    {
        var worker = await GrainFactory.GetGrain<IWorkerRegistryGrain>(0).Pick(WorkerKind.T3) ?? throw Rejections.NoWorkers("T3");
        return worker.WorkerKey;
    }

    private SessionRejectedException UnknownVoice() =>
        new("unknown_voice", $"Voice '{VoiceId}' is not enrolled.", retryable: false);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Debug, Message = "Voice {VoiceId}: worker {Worker} could not be told to drop its cached conditionals")]
    private static partial void LogForgetFailed(ILogger logger, Exception exception, string voiceId, string worker);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Debug, Message = "Voice {VoiceId} revision {Revision} computed for bundle {Bundle} on {Worker}")]
    private static partial void LogComputed(ILogger logger, string voiceId, string revision, string bundle, string worker);

    /// <summary>What the voice storage keeps per voice (Id 0, the conditionals themselves, is retired: they live in the voice store).</summary>
    [GenerateSerializer, Alias("sawt.speaker-state")]
    internal sealed class VoiceState
    {
        /// <summary>The content hash of <see cref="Reference"/>'s samples; sessions pin it.</summary>
        [Id(1)] public string? Revision { get; init; }

        /// <summary>The normalised reference (24 kHz mono float32 WAV, at most 30 s, ~2.9 MB): what a recomputation encodes.</summary>
        [Id(2)] public byte[]? Reference { get; init; }

        /// <summary>Metadata for the voices API.</summary>
        [Id(3)] public VoiceInfo? Info { get; init; }
    }
}
