using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>The seed's <c>send_message</c> type inference and payload encoding.</summary>
internal static class PayloadEncoder
{
    public static (MessageType Type, ReadOnlyMemory<byte> Bytes) Encode(object? payload, MessageType? type)
    {
        var resolved = type ?? payload switch
        {
            string => MessageType.Text,
            byte[] or ReadOnlyMemory<byte> or Memory<byte> or ArraySegment<byte> => MessageType.Binary,
            short[] => MessageType.Audio,
            _ => MessageType.Json,
        };
        ReadOnlyMemory<byte> bytes = payload switch
        {
            byte[] array => array,
            ReadOnlyMemory<byte> memory => memory,
            Memory<byte> memory => memory,
            ArraySegment<byte> segment => segment,
            short[] samples => LittleEndian(samples),
            string text => Encoding.UTF8.GetBytes(text),
            JsonElement element when resolved == MessageType.Json => Encoding.UTF8.GetBytes(element.GetRawText()),
            JsonNode node when resolved == MessageType.Json => Encoding.UTF8.GetBytes(node.ToJsonString()),
            _ when resolved == MessageType.Json => JsonSerializer.SerializeToUtf8Bytes(payload),
            null => ReadOnlyMemory<byte>.Empty,
            _ => Encoding.UTF8.GetBytes(payload.ToString() ?? ""),
        };
        return (resolved, bytes);
    }

    private static byte[] LittleEndian(short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }
        return bytes;
    }
}
