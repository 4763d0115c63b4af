using System.Text;

namespace ProxyHost.Messaging.Protocol;

/// <summary>The header's 8-byte metadata slot: UTF-8 text up to the first NUL, truncated to 8 bytes.</summary>
public readonly struct MessageMetadata : IEquatable<MessageMetadata>
{
    /// <summary>The slot's length in bytes.</summary>
    public const int Size = 8;

    private readonly ulong _bytes;

    private MessageMetadata(ulong bytes) => _bytes = bytes;

    public static MessageMetadata Empty => default;

    /// <summary>Encodes <paramref name="text"/>, cutting it at 8 bytes without splitting a character.</summary>
    public static MessageMetadata FromString(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }
        Span<byte> slot = stackalloc byte[Size];
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(text, slot, flush: true, out _, out _, out _);
        return FromBytes(slot);
    }

    /// <summary>Takes the slot as it is on the wire (exactly 8 bytes).</summary>
    public static MessageMetadata FromBytes(ReadOnlySpan<byte> slot)
    {
        if (slot.Length != Size)
        {
            throw new ArgumentException($"metadata is exactly {Size} bytes", nameof(slot));
        }
        return new MessageMetadata(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(slot));
    }

    public void CopyTo(Span<byte> destination) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, _bytes);

    /// <summary>The text up to the first NUL (the seed's reading); invalid UTF-8 becomes U+FFFD.</summary>
    public override string ToString()
    {
        Span<byte> slot = stackalloc byte[Size];
        CopyTo(slot);
        var end = slot.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? slot : slot[..end]);
    }

    public bool Equals(MessageMetadata other) => _bytes == other._bytes;

    public override bool Equals(object? obj) => obj is MessageMetadata other && Equals(other);

    public override int GetHashCode() => _bytes.GetHashCode();

    public static bool operator ==(MessageMetadata left, MessageMetadata right) => left.Equals(right);

    public static bool operator !=(MessageMetadata left, MessageMetadata right) => !left.Equals(right);
}
