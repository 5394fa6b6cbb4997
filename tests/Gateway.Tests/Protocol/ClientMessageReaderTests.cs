using System.Text;
using Sawt.Gateway.Protocol;

namespace Sawt.Gateway.Tests.Protocol;

/// <summary>
/// The /v1/ws message reader: a frame becomes one whole, valid message or a refusal; nothing in between, so a
/// refused frame cannot half-act.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClientMessageReaderTests
{
    private readonly ClientMessageReader _reader = new(new GatewayOptions());

    [Fact]
    public void Read_EveryType_BecomesItsTypedMessage()
    {
        var synthesize = Assert.IsType<ParsedSynthesize>(Read("""{"type":"synthesize","context_id":"c","text":"hi","voice":"v1","output_format":{"encoding":"opus","sample_rate":24000}}"""));
        Assert.Equal(("c", "hi", "v1", "opus", 24000), (synthesize.ContextId, synthesize.Start.Text, synthesize.Start.VoiceId, synthesize.Start.Output.Encoding, synthesize.Start.Output.SampleRate));
        Assert.Equal(new ParsedText("c", "more", true), Read("""{"type":"text","context_id":"c","text":"more","flush":true}"""));
        Assert.Equal(new ParsedText("c", "more", false), Read("""{"type":"text","context_id":"c","text":"more","flush":null}"""));
        Assert.Equal(new ParsedFlush("c"), Read("""{"type":"flush","context_id":"c"}"""));
        Assert.Equal(new ParsedEnd("c"), Read("""{"type":"end","context_id":"c"}"""));
        Assert.Equal(new ParsedCancel("c"), Read("""{"type":"cancel","context_id":"c","unknown":"\ud800"}"""));
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("best")]
    [InlineData("anything")] // the session, not the gateway, says which tiers exist (invalid_options)
    public void Read_SynthesizeWithAQuality_PassesItOn(string quality)
    {
        var synthesize = Assert.IsType<ParsedSynthesize>(Read("{\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":\"hi\",\"quality\":\"" + quality + "\"}"));
        Assert.Equal(quality, synthesize.Start.Quality);
        Assert.Null(Assert.IsType<ParsedSynthesize>(Read("""{"type":"synthesize","context_id":"c","text":"hi"}""")).Start.Quality);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"")] // 33 characters
    public void Read_SynthesizeWithABadQuality_InvalidRequestNamingTheField(string quality)
    {
        var refused = Assert.IsType<InvalidMessage>(Read("{\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":\"hi\",\"quality\":" + quality + "}"));
        Assert.Equal(ErrorCodes.InvalidRequest, refused.Error.Code);
        Assert.Contains("'quality'", refused.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("{}")]
    public void Read_TextWithABadFlush_IsRefusedWhole_NotQueued(string flush)
    {
        var refused = Assert.IsType<InvalidMessage>(Read("{\"type\":\"text\",\"context_id\":\"f\",\"text\":\"spoken?\",\"flush\":" + (flush == "yes" ? "\"yes\"" : flush) + "}"));
        Assert.Equal((ErrorCodes.InvalidRequest, "f", false), (refused.Error.Code, refused.ContextId, refused.StartsContext));
        Assert.Contains("'flush'", refused.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("1e0")]
    [InlineData("10e-1")]
    [InlineData("null")]
    public void Read_VersionEqualToOne_IsVersionOne(string v)
    {
        Assert.IsType<ParsedCancel>(Read("{\"v\":" + v + ",\"type\":\"cancel\",\"context_id\":\"c\"}"));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1.0000000000000001")]
    [InlineData("1e400")]
    [InlineData("\"1\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[1]")]
    public void Read_AnyOtherVersion_IsUnsupportedVersion_EvenBeforeOtherErrors(string v)
    {
        var refused = Assert.IsType<InvalidMessage>(Read("{\"v\":" + v + ",\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":5}"));
        Assert.Equal(ErrorCodes.UnsupportedVersion, refused.Error.Code);
        Assert.Equal("c", refused.ContextId);
        Assert.True(refused.StartsContext);
    }

    [Theory]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"\\ud800\",\"text\":\"hi\"}", ErrorCodes.InvalidText)]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"\",\"text\":\"hi\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"type\":\"cancel\",\"context_id\":7}", ErrorCodes.InvalidRequest)]
    public void Read_InvalidContextId_IsRefused_AndNotEchoed(string json, string code)
    {
        var refused = Assert.IsType<InvalidMessage>(Read(json));
        Assert.Equal(code, refused.Error.Code);
        Assert.Null(refused.ContextId);
    }

    [Fact]
    public void Read_ContextIdOf129Characters_IsRefused()
    {
        var refused = Assert.IsType<InvalidMessage>(Read("{\"type\":\"cancel\",\"context_id\":\"" + new string('c', 129) + "\"}"));
        Assert.Equal(ErrorCodes.InvalidRequest, refused.Error.Code);
        Assert.IsType<ParsedCancel>(Read("{\"type\":\"cancel\",\"context_id\":\"" + new string('c', 128) + "\"}"));
    }

    [Theory]
    [InlineData("{oops", ErrorCodes.InvalidJson)]
    [InlineData("[1]", ErrorCodes.InvalidRequest)]
    [InlineData("\"synthesize\"", ErrorCodes.InvalidRequest)]
    [InlineData("{\"context_id\":\"c\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"type\":\"Synthesize\",\"context_id\":\"c\"}", ErrorCodes.UnknownMessageType)]
    [InlineData("{\"type\":\"\\u0000\",\"context_id\":\"c\"}", ErrorCodes.InvalidText)]
    [InlineData("{\"type\":\"text\",\"context_id\":\"c\",\"text\":\"\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":\"hi\",\"sampling\":{\"temperature\":1e300}}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":\"hi\",\"language\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", ErrorCodes.InvalidRequest)]
    [InlineData("{\"type\":\"synthesize\",\"context_id\":\"c\",\"text\":\"hi\",\"output_format\":{\"encoding\":\"\\ufffe\"}}", ErrorCodes.InvalidText)]
    public void Read_BadFrames_AreRefusedWithTheirCode(string json, string code)
    {
        Assert.Equal(code, Assert.IsType<InvalidMessage>(Read(json)).Error.Code);
    }

    [Fact]
    public void Read_FieldNamesThatAreNotText_AreIgnored_WhicheverFieldIsLookedUp()
    {
        // Looking up "v" (absent) walks past every name; JsonElement.TryGetProperty throws on the lone surrogate.
        byte[] frame = [.. "{\"type\":\"cancel\",\"context_id\":\"c\",\"\\ud800\":1,\""u8, 0xFF, .. "\":2}"u8];
        Assert.Equal(new ParsedCancel("c"), _reader.Read(frame));
    }

    [Fact]
    public void Read_RefusalMessages_NeverEchoTheTypeOrText()
    {
        var unknown = Assert.IsType<InvalidMessage>(Read("{\"type\":\"<script>\",\"context_id\":\"c\"}"));
        Assert.DoesNotContain("<script>", unknown.Error.Message, StringComparison.Ordinal);
    }

    private ParsedMessage Read(string json) => _reader.Read(Encoding.UTF8.GetBytes(json));
}
