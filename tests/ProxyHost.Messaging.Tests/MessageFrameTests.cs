using FluentAssertions;
using ProxyHost.Messaging.Protocol;
using Xunit;

namespace ProxyHost.Messaging.Tests;

public sealed class MessageFrameTests
{
    [Fact]
    public void Encode_NotesExample_IsByteExact()
    {
        var frame = MessageFrame.Encode(7, 1_700_000_000_000, MessageType.Json, "{\"a\"}"u8);

        Convert.ToHexStringLower(frame.AsSpan(0, 32)).Should().Be("0000000000000007" + "0000018bcfe56800" + "002a" + "0000" + "00000005" + "0000000000000000");
        frame.AsSpan(32).ToArray().Should().Equal("{\"a\"}"u8.ToArray());
    }

    [Theory]
    [InlineData(MessageType.Json, "0000")]
    [InlineData(MessageType.Text, "0001")]
    [InlineData(MessageType.Binary, "0002")]
    [InlineData(MessageType.File, "0003")]
    [InlineData(MessageType.Audio, "0004")]
    [InlineData(MessageType.Image, "0005")]
    public void EncodeDecode_EveryType_RoundTripsByteExact(MessageType type, string typeHex)
    {
        var payload = new byte[] { 1, 2, 3, 0xff };
        var metadata = MessageMetadata.FromString("png");

        var frame = MessageFrame.Encode(0x0102030405060708, 0x1112131415161718, type, payload, metadata);

        Convert.ToHexStringLower(frame).Should().Be("0102030405060708" + "1112131415161718" + "002a" + typeHex + "00000004" + "706e670000000000" + "010203ff");
        MessageFrame.TryDecode(frame, out var header).Should().Be(FrameError.None);
        header.Should().Be(new MessageHeader(0x0102030405060708, 0x1112131415161718, type, 4, metadata));
        header.Metadata.ToString().Should().Be("png");
    }

    [Fact]
    public void Metadata_LongerThanEightBytes_IsCutWithoutSplittingACharacter()
    {
        MessageMetadata.FromString("abcdefghij").ToString().Should().Be("abcdefgh");
        MessageMetadata.FromString("abcdefgé").ToString().Should().Be("abcdefg", "é takes two bytes and would not fit");
        MessageMetadata.FromString(null).Should().Be(MessageMetadata.Empty);
    }

    [Fact]
    public void Audio_SamplesAreLittleEndianInsideABigEndianHeader()
    {
        var payload = new Server.ReceivedMessage { ClientId = "c1", Type = MessageType.Audio, Payload = new byte[] { 0x01, 0x00, 0xff, 0x7f, 0x00, 0x80 } };

        payload.AudioSamples().Should().Equal(1, short.MaxValue, short.MinValue);
    }

    [Theory]
    [InlineData(0, FrameError.TooShort)]
    [InlineData(32, FrameError.TooShort)]
    public void Decode_NoPayload_IsTooShort(int length, FrameError expected) =>
        MessageFrame.TryDecode(new byte[length], out _).Should().Be(expected);

    [Fact]
    public void Decode_WrongMagic_IsRejected()
    {
        var frame = MessageFrame.Encode(1, 1, MessageType.Text, "hi"u8);
        frame[17] = 43;
        MessageFrame.TryDecode(frame, out _).Should().Be(FrameError.BadMagic);
    }

    [Fact]
    public void Decode_UnknownType_IsRejected()
    {
        var frame = MessageFrame.Encode(1, 1, MessageType.Text, "hi"u8);
        frame[19] = 6;
        MessageFrame.TryDecode(frame, out _).Should().Be(FrameError.UnknownType);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1_000_000)]
    public void Decode_SizeFieldDiffersFromPayload_IsRejected(int claimed)
    {
        var frame = MessageFrame.Encode(1, 1, MessageType.Binary, "hi"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(20), (uint)claimed);
        MessageFrame.TryDecode(frame, out _).Should().Be(FrameError.SizeMismatch);
    }
}
