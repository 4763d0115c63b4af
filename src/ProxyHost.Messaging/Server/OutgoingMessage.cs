using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>A queued send; the message id is stamped when it goes out, so each client sees its own gap-free counter.</summary>
internal readonly record struct OutgoingMessage(MessageType Type, ReadOnlyMemory<byte> Payload, ulong Timestamp, MessageMetadata Metadata);
