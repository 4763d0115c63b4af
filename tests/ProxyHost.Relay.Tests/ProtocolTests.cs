using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Relay.Protocol;
using Xunit;

namespace ProxyHost.Relay.Tests;

public sealed class ProtocolTests
{
    [Theory]
    [InlineData(0u, "00")]
    [InlineData(1u, "01")]
    [InlineData(127u, "7F")]
    [InlineData(128u, "8001")]
    [InlineData(300u, "AC02")]
    [InlineData(16383u, "FF7F")]
    [InlineData(16384u, "808001")]
    [InlineData(2097151u, "FFFF7F")]
    [InlineData(2097152u, "80808001")]
    [InlineData(uint.MaxValue, "FFFFFFFF0F")]
    public void Leb128_WritesAndReadsByteExact(uint value, string hex)
    {
        var buffer = new byte[Leb128.MaxBytes];
        var written = Leb128.Write(value, buffer);

        Convert.ToHexString(buffer, 0, written).Should().Be(hex);
        Leb128.SizeOf(value).Should().Be(written);
        Leb128.TryRead([.. buffer[..written], 0xAA], out var read, out var consumed).Should().Be(Leb128Status.Ok);
        read.Should().Be(value);
        consumed.Should().Be(written);
    }

    [Theory]
    [InlineData("", Leb128Status.Truncated)]
    [InlineData("80", Leb128Status.Truncated)]
    [InlineData("FF80", Leb128Status.Truncated)]
    [InlineData("FFFFFFFF1F", Leb128Status.Overflow)]
    [InlineData("FFFFFFFFFF01", Leb128Status.Overflow)]
    public void Leb128_RejectsTruncatedAndOversizedValues(string hex, Leb128Status expected) =>
        Leb128.TryRead(Convert.FromHexString(hex), out _, out _).Should().Be(expected);

    [Fact]
    public void IdentifierMessage_EncodesElvasExample()
    {
        var frame = IdentifierMessage.Encode(RelayMagic.Id, "mydoc", [0x00, 0x02, 0x01, 0x07]);

        Convert.ToHexString(frame).Should().Be("4944056D79646F63" + "00020107");
        Convert.ToHexString(IdentifierMessage.Encode(RelayMagic.Legacy, "mydoc", [0x01])).Should().Be("0200056D79646F63" + "01");
    }

    [Theory]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16383, "FF7F")]
    [InlineData(16384, "808001")]
    public void IdentifierMessage_UsesMultiByteLengthsForLongIds(int length, string lengthHex)
    {
        var id = new string('d', length);
        var frame = IdentifierMessage.Encode(RelayMagic.Id, id, [0x01, 0x00]);

        Convert.ToHexString(frame.AsSpan(2, lengthHex.Length / 2)).Should().Be(lengthHex);
        IdentifierMessage.TryDecode(RelayMagic.Id, frame, out var decoded, out var message).Should().BeNull();
        decoded.Should().Be(id);
        message.ToArray().Should().Equal(0x01, 0x00);
    }

    [Fact]
    public void IdentifierMessage_CountsUtf8BytesNotCharacters()
    {
        var frame = IdentifierMessage.Encode(RelayMagic.Id, "é/ü", [0x01]);

        frame[2].Should().Be((byte)Encoding.UTF8.GetByteCount("é/ü"));
        IdentifierMessage.TryDecode(RelayMagic.Id, frame, out var id, out _).Should().BeNull();
        id.Should().Be("é/ü");
    }

    [Theory]
    [InlineData("", "too short")]
    [InlineData("49", "too short")]
    [InlineData("0002010A", "not the identifier magic 4944")]
    [InlineData("4944", "length is truncated")]
    [InlineData("494480", "length is truncated")]
    [InlineData("4944FFFFFFFF7F", "does not fit 32 bits")]
    [InlineData("4944056D7964", "claims 5 bytes but only 3 follow")]
    [InlineData("494400", "identifier is empty")]
    [InlineData("494402C328", "not valid UTF-8")]
    [InlineData("4944056D79646F63", "no Y message follows")]
    public void IdentifierMessage_RejectsMalformedFrames(string hex, string reason) =>
        IdentifierMessage.TryDecode(RelayMagic.Id, Convert.FromHexString(hex), out _, out _).Should().Contain(reason);

    [Fact]
    public void IdentifierMessage_LegacyMagicIsNotAcceptedAsCurrentOne() =>
        IdentifierMessage.TryDecode(RelayMagic.Id, IdentifierMessage.Encode(RelayMagic.Legacy, "a", [1]), out _, out _)
            .Should().Contain("starts with 0200");
}
