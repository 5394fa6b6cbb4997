using System.Net.WebSockets;
using System.Text;
using Sawt.Client.Tests.Infrastructure;
using Sawt.Protocol;

namespace Sawt.Client.Tests;

/// <summary>Pairing of <c>audio</c> messages with their binary frames (docs/protocol.md, Pairing).</summary>
[Trait("Category", "Unit")]
public sealed class FrameAssemblerTests
{
    [Fact]
    public void Accept_AudioThenBinary_GivesOneChunkWithThatMetadataAndThoseBytes()
    {
        var assembler = new FrameAssembler();
        var bytes = WireText.Payload("a", 3, 6);

        var first = assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Audio("a", 3, bytes.Length)));
        var second = assembler.Accept(WebSocketMessageType.Binary, bytes);

        Assert.Null(first.Message);
        Assert.Null(first.Audio);
        var chunk = Assert.IsType<AudioChunk>(second.Audio);
        Assert.Equal("a", chunk.Metadata.ContextId);
        Assert.Equal(3, chunk.Metadata.Sequence);
        Assert.Equal(bytes, chunk.Data.ToArray());
    }

    [Fact]
    public void Accept_EmptyBinaryFrameForZeroBytes_GivesAnEmptyChunk()
    {
        var assembler = new FrameAssembler();
        assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Audio("a", 0, 0)));

        var chunk = assembler.Accept(WebSocketMessageType.Binary, []).Audio;

        Assert.NotNull(chunk);
        Assert.Equal(0, chunk.Data.Length);
    }

    [Fact]
    public void Accept_TextWhereTheBinaryFrameBelongs_IsAProtocolViolation()
    {
        var assembler = new FrameAssembler();
        assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Audio("a", 0, 4)));

        var error = Assert.Throws<SawtException>(() => assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Done("a", 1))));

        Assert.Equal(ErrorCodes.ProtocolViolation, error.Code);
        Assert.False(error.Retryable);
    }

    [Fact]
    public void Accept_BinaryWithoutAudioMessage_IsAProtocolViolation()
    {
        var error = Assert.Throws<SawtException>(() => new FrameAssembler().Accept(WebSocketMessageType.Binary, [1, 2]));

        Assert.Equal(ErrorCodes.ProtocolViolation, error.Code);
    }

    [Fact]
    public void Accept_BinaryOfAnotherLengthThanAnnounced_IsAProtocolViolation()
    {
        var assembler = new FrameAssembler();
        assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Audio("a", 0, 4)));

        var error = Assert.Throws<SawtException>(() => assembler.Accept(WebSocketMessageType.Binary, [1, 2, 3]));

        Assert.Equal(ErrorCodes.ProtocolViolation, error.Code);
    }

    [Fact]
    public void Accept_UnknownMessageType_IsSkippedAndPairingGoesOn()
    {
        var assembler = new FrameAssembler();

        var unknown = assembler.Accept(WebSocketMessageType.Text, Utf8("""{"type":"progress","context_id":"a"}"""));
        assembler.Accept(WebSocketMessageType.Text, Utf8(WireText.Audio("a", 0, 2)));
        var chunk = assembler.Accept(WebSocketMessageType.Binary, [7, 8]).Audio;

        Assert.True(unknown.Unreadable);
        Assert.NotNull(chunk);
    }

    [Fact]
    public void Accept_TypeAfterOtherFields_IsReadAsThatType()
    {
        var frame = new FrameAssembler().Accept(WebSocketMessageType.Text, Utf8("""{"context_id":"a","type":"cancelled"}"""));

        Assert.Equal("a", Assert.IsType<CancelledMessage>(frame.Message).ContextId);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
