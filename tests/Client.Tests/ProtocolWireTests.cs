using System.Text.Json;
using Sawt.Protocol;

namespace Sawt.Client.Tests;

/// <summary>The shared records read and write the shapes docs/protocol.md documents.</summary>
[Trait("Category", "Unit")]
public sealed class ProtocolWireTests
{
    [Fact]
    public void ClientMessages_TypeFirst_NullFieldsLeftOut()
    {
        ClientMessage synthesize = new SynthesizeMessage("c", Language: "en", Sampling: new SamplingParameters(Temperature: 0), Incremental: true);

        var json = JsonSerializer.Serialize(synthesize, ProtocolJsonContext.Default.ClientMessage);

        Assert.Equal("""{"type":"synthesize","context_id":"c","language":"en","sampling":{"temperature":0},"incremental":true}""", json);
    }

    [Fact]
    public void Voice_AbsentAudioFieldsAreNull_AndCreatedAtIsUtcMilliseconds()
    {
        var voice = new VoiceDescription("v", "h", null, null, null, new DateTimeOffset(2026, 11, 30, 9, 1, 2, 345, TimeSpan.FromHours(2)), "b", false);

        var json = JsonSerializer.Serialize(voice, ProtocolJsonContext.Default.VoiceDescription);
        var back = JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.VoiceDescription);

        Assert.Equal("""{"voice_id":"v","content_hash":"h","duration_seconds":null,"sample_rate":null,"channels":null,"created_at":"2026-11-30T07:01:02.345Z","bundle":"b","read_only":false}""", json);
        Assert.Equal(voice, back);
    }

    [Fact]
    public void ServerMessages_RoundTripThroughTheBaseType()
    {
        ServerMessage[] messages =
        [
            new StartedMessage("c", Guid.NewGuid()),
            new AudioMessage("c", 1, "mulaw", 8000, 160, 20, 20, 0, 5, false),
            new DoneMessage("c", 1.5, 0.25, 10, 400, 3),
            new CancelledMessage("c"),
            new ErrorMessage(null, null, ErrorCodes.IdleTimeout, "idle", false, null),
        ];

        foreach (var message in messages)
        {
            var json = JsonSerializer.Serialize(message, ProtocolJsonContext.Default.ServerMessage);
            Assert.Equal(message, JsonSerializer.Deserialize(json, ProtocolJsonContext.Default.ServerMessage));
        }
    }
}
