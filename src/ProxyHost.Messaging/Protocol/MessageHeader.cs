namespace ProxyHost.Messaging.Protocol;

/// <summary>
/// The 32-byte header in front of every payload: u64 message id, u64 timestamp (ms since the Unix
/// epoch), u16 magic (42), u16 type, u32 payload size, 8 bytes of metadata — all big-endian.
/// </summary>
/// <param name="Metadata">Up to 8 UTF-8 bytes, zero-padded; the file extension for uploads, zeros from the server by default.</param>
public readonly record struct MessageHeader(ulong Id, ulong Timestamp, MessageType Type, uint PayloadSize, MessageMetadata Metadata)
{
    /// <summary>The header length in bytes.</summary>
    public const int Size = 32;

    /// <summary>The value every frame carries at offset 16.</summary>
    public const ushort Magic = 42;
}
