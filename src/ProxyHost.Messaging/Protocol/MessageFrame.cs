using System.Buffers.Binary;

namespace ProxyHost.Messaging.Protocol;

/// <summary>Encodes and decodes frames: a <see cref="MessageHeader"/> followed by the payload.</summary>
public static class MessageFrame
{
    /// <summary>Writes the 32 header bytes into <paramref name="destination"/>.</summary>
    public static void WriteHeader(in MessageHeader header, Span<byte> destination)
    {
        if (destination.Length < MessageHeader.Size)
        {
            throw new ArgumentException($"the header needs {MessageHeader.Size} bytes", nameof(destination));
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination, header.Id);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], header.Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], MessageHeader.Magic);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], (ushort)header.Type);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], header.PayloadSize);
        header.Metadata.CopyTo(destination[24..]);
    }

    /// <summary>One frame as a single array; the header's payload size is taken from <paramref name="payload"/>.</summary>
    public static byte[] Encode(ulong id, ulong timestamp, MessageType type, ReadOnlySpan<byte> payload, MessageMetadata metadata = default)
    {
        var frame = new byte[MessageHeader.Size + payload.Length];
        WriteHeader(new MessageHeader(id, timestamp, type, (uint)payload.Length, metadata), frame);
        payload.CopyTo(frame.AsSpan(MessageHeader.Size));
        return frame;
    }

    /// <summary>
    /// Reads a frame's header and checks it against the frame: longer than the header, magic 42, a
    /// known type and a payload size equal to the bytes after the header.
    /// </summary>
    public static FrameError TryDecode(ReadOnlySpan<byte> frame, out MessageHeader header)
    {
        header = default;
        if (frame.Length <= MessageHeader.Size)
        {
            return FrameError.TooShort;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(frame[16..]) != MessageHeader.Magic)
        {
            return FrameError.BadMagic;
        }
        var type = (MessageType)BinaryPrimitives.ReadUInt16BigEndian(frame[18..]);
        if (!Enum.IsDefined(type))
        {
            return FrameError.UnknownType;
        }
        var size = BinaryPrimitives.ReadUInt32BigEndian(frame[20..]);
        if (size != frame.Length - MessageHeader.Size)
        {
            return FrameError.SizeMismatch;
        }
        header = new MessageHeader(
            BinaryPrimitives.ReadUInt64BigEndian(frame),
            BinaryPrimitives.ReadUInt64BigEndian(frame[8..]),
            type,
            size,
            MessageMetadata.FromBytes(frame.Slice(24, MessageMetadata.Size)));
        return FrameError.None;
    }
}
