using System.Collections.Concurrent;
using Sawt.Contracts.Sessions;
using Sawt.Contracts.Voices;
using Sawt.Gateway.Backend;

namespace Sawt.Gateway.Tests.Infrastructure;

/// <summary>
/// A deterministic stand-in for the cluster (the gateway tests check the gateway's logic, not synthesis).
/// Text conventions: "reject:CODE" fails Start with CODE (busy carries a 1.5 s retry hint); "fail:CODE" sends one
/// chunk then fails with CODE; "chunks:N ..." sends N chunks; "slow ..." sends up to 1000 chunks 20 ms apart;
/// "flood ..." sends 2000 chunks of 64 KiB with no delay; "throw:events" sends one chunk, then its event stream
/// throws (a gateway-side failure, not a session outcome). Language "xx" is unsupported; unknown voices are
/// rejected with unknown_voice. Chunk k carries 240*(k+1) samples, so its length tells which chunk it is. Incremental
/// text "gone" is refused unavailable (the session already ended) while its busy arrives on the stream just after.
/// Voices: enrolling "reject-CODE" fails with CODE (the cluster's audio checks); asking about
/// <see cref="ExplodingVoice"/> throws an unexpected exception.
/// </summary>
internal sealed class FakeSessionBackend : ISessionBackend
{
    /// <summary>A voice id whose lookup throws <see cref="InvalidOperationException"/>, as a gateway bug would.</summary>
    public const string ExplodingVoice = "explode";

    public ConcurrentDictionary<string, byte[]> Voices { get; } = new() { [VoiceIds.Default] = [] };

    public ConcurrentQueue<FakeSession> Sessions { get; } = new();

    public volatile bool Ready;

    public Task<ISessionHandle> StartAsync(SessionStart start, CancellationToken cancellationToken = default)
    {
        if (start.Text.StartsWith("reject:", StringComparison.Ordinal))
        {
            var code = start.Text["reject:".Length..];
            throw new SessionRejectedException(code, $"fake rejection {code}", code == "busy", code == "busy" ? 1.5 : null);
        }

        if (!Voices.ContainsKey(VoiceKeys.Speaker(start.Tenant, start.VoiceId)))
        {
            throw new SessionRejectedException("unknown_voice", $"Voice '{start.VoiceId}' is not enrolled.", false);
        }

        if (start.Language == "xx")
        {
            throw new SessionRejectedException("unsupported_language", "Language 'xx' is not supported.", false);
        }

        if (!start.Incremental && string.IsNullOrWhiteSpace(start.Text))
        {
            throw new SessionRejectedException("empty_text", "There is nothing to say.", false);
        }

        var session = new FakeSession(start);
        Sessions.Enqueue(session);
        session.Run();
        return Task.FromResult<ISessionHandle>(session);
    }

    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => Task.FromResult(Ready);

    public Task<VoiceInfo> EnrollVoiceAsync(string tenant, string voiceId, byte[] wav, CancellationToken cancellationToken = default)
    {
        if (voiceId.StartsWith("reject-", StringComparison.Ordinal))
        {
            var code = voiceId["reject-".Length..];
            throw new SessionRejectedException(code, $"fake rejection {code}", false);
        }

        if (wav.Length < 12 || !wav.AsSpan(0, 4).SequenceEqual("RIFF"u8))
        {
            throw new SessionRejectedException("unreadable_audio", "Not a WAV file.", false);
        }

        Voices[VoiceKeys.Speaker(tenant, voiceId)] = wav;
        return Task.FromResult(Info(voiceId, wav));
    }

    public Task<VoiceInfo?> GetVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        voiceId == ExplodingVoice
            ? throw new InvalidOperationException("fake gateway bug")
            : Task.FromResult(Voices.TryGetValue(VoiceKeys.Speaker(tenant, voiceId), out var wav) ? Info(voiceId, wav) : null);

    public Task<VoicePage> ListVoicesAsync(string tenant, string? after, int limit, CancellationToken cancellationToken = default)
    {
        var voices = Voices
            .Select(v => (Key: VoiceKeys.ParseSpeaker(v.Key), Wav: v.Value))
            .Where(v => v.Key.Tenant == tenant && v.Key.VoiceId != VoiceIds.Default && (after is null || string.CompareOrdinal(v.Key.VoiceId, after) > 0))
            .OrderBy(v => v.Key.VoiceId, StringComparer.Ordinal)
            .Select(v => Info(v.Key.VoiceId, v.Wav))
            .ToArray();
        return Task.FromResult(new VoicePage(voices.Take(limit).ToArray(), voices.Length > limit));
    }

    public Task<bool> DeleteVoiceAsync(string tenant, string voiceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Voices.TryRemove(VoiceKeys.Speaker(tenant, voiceId), out _));

    private static VoiceInfo Info(string voiceId, byte[] wav) => voiceId == VoiceIds.Default
        ? new VoiceInfo(voiceId, VoiceIds.DefaultRevision, null, null, null, null, "fake", ReadOnly: true)
        : new VoiceInfo(voiceId, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(wav))[..16], 1.0, 24000, 1, DateTimeOffset.UnixEpoch, "fake", ReadOnly: false);
}
