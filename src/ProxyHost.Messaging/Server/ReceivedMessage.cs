using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// A message from a client with the seed's handler arguments (payload, size, type, id, metadata,
/// timestamp, path), plus the client it came from and, for saved uploads, the URL serving the file.
/// </summary>
public sealed record ReceivedMessage
{
    /// <summary>The sending client's id (use it to reply with <see cref="MessagingHub.SendMessage"/>).</summary>
    public required string ClientId { get; init; }

    public required MessageType Type { get; init; }

    /// <summary>The client's message counter.</summary>
    public ulong Id { get; init; }

    /// <summary>Milliseconds since the Unix epoch, as the client stamped it.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>The header's metadata text (the extension for uploads).</summary>
    public string Metadata { get; init; } = "";

    public ReadOnlyMemory<byte> Payload { get; init; }

    public int PayloadSize => Payload.Length;

    /// <summary>For a saved FILE or IMAGE upload, the full path of the file on the server.</summary>
    public string? Path { get; init; }

    /// <summary>For a saved upload, its URL relative to the site (e.g. <c>uploads/20240101_120000_ab12cd34.png</c>).</summary>
    public string? Url { get; init; }

    /// <summary>
    /// True for the synthetic <c>{"client_state": "connected"|"disconnected"}</c> JSON messages the
    /// server raises itself when a client comes and goes.
    /// </summary>
    public bool IsClientState { get; init; }

    /// <summary>The site the message arrived at; <see cref="Reply"/> sends through it.</summary>
    public MessagingHub? Hub { get; init; }

    /// <summary>Sends a message back to the sender only (see <see cref="MessagingHub.SendMessage"/> for the type inference).</summary>
    /// <returns>False when the sender has gone or its send queue is full.</returns>
    public bool Reply(object? payload, MessageType? type = null, string? metadata = null) =>
        Hub?.SendMessage(payload, type, ClientId, metadata) == 1;

    /// <summary>
    /// The payload as text. A TEXT message that is a JSON string literal is unquoted, because the
    /// seed's <c>websocket.js</c> <c>JSON.stringify</c>s strings whatever their type.
    /// </summary>
    public string Text => Type == MessageType.Text && TryUnquote(Payload.Span, out var unquoted) ? unquoted : Encoding.UTF8.GetString(Payload.Span);

    /// <summary>The payload parsed as JSON.</summary>
    /// <exception cref="JsonException">The payload is not JSON.</exception>
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Payload);
            return document.RootElement.Clone();
        }
    }

    /// <summary>An AUDIO payload's samples (int16, little-endian); a trailing odd byte is ignored.</summary>
    public short[] AudioSamples()
    {
        var bytes = Payload.Span;
        var samples = new short[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * i)..]);
        }
        return samples;
    }

    private static bool TryUnquote(ReadOnlySpan<byte> payload, out string text)
    {
        text = "";
        if (payload.Length < 2 || payload[0] != (byte)'"' || payload[^1] != (byte)'"')
        {
            return false;
        }
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.GetString() is { } value && !reader.Read())
            {
                text = value;
                return true;
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }
}
