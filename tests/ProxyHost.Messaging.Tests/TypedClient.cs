using System.Net.WebSockets;
using System.Text;
using ProxyHost.Messaging.Protocol;
using ProxyHost.Tests;

namespace ProxyHost.Messaging.Tests;

/// <summary>A real websocket client speaking the 32-byte-header protocol, with bounded waits.</summary>
internal sealed class TypedClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private ulong _nextId;

    private TypedClient()
    {
    }

    public ClientWebSocket Socket => _socket;

    public static async Task<TypedClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new TypedClient();
        configure?.Invoke(client._socket.Options);
        await client._socket.ConnectAsync(uri, TestTimeouts.DefaultToken()).DefaultTimeout();
        return client;
    }

    public Task SendAsync(MessageType type, string payload, string? metadata = null) => SendAsync(type, Encoding.UTF8.GetBytes(payload), metadata);

    public Task SendAsync(MessageType type, byte[] payload, string? metadata = null) =>
        SendRawAsync(MessageFrame.Encode(_nextId++, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), type, payload, MessageMetadata.FromString(metadata)));

    public Task SendRawAsync(byte[] frame, WebSocketMessageType messageType = WebSocketMessageType.Binary) =>
        _socket.SendAsync(frame, messageType, true, TestTimeouts.DefaultToken()).DefaultTimeout();

    /// <summary>The next frame; throws if the server closes instead.</summary>
    public async Task<(MessageHeader Header, byte[] Payload)> ReceiveAsync()
    {
        var frame = await ReceiveMessageAsync() ?? throw new InvalidOperationException($"the server closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        var error = MessageFrame.TryDecode(frame, out var header);
        return error == FrameError.None ? (header, frame[MessageHeader.Size..]) : throw new InvalidOperationException("bad frame from server: " + error);
    }

    public async Task<string> ReceiveTextAsync()
    {
        var (header, payload) = await ReceiveAsync();
        return header.Type is MessageType.Text or MessageType.Json ? Encoding.UTF8.GetString(payload) : throw new InvalidOperationException("expected text, got " + header.Type);
    }

    /// <summary>Reads until the server's close frame, answers it as a browser does, and returns its code (frames before it are skipped).</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        for (var i = 0; i < 100_000; i++)
        {
            if (await ReceiveMessageAsync() is null)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", TestTimeouts.DefaultToken()).DefaultTimeout();
                }
                return _socket.CloseStatus;
            }
        }
        throw new InvalidOperationException("no close frame");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        _socket.Dispose();
    }

    private async Task<byte[]?> ReceiveMessageAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, TestTimeouts.DefaultToken()).DefaultTimeout();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }
}
