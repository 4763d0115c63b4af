using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ProxyHost.Apps.Tests.Infrastructure;

/// <summary>A real <see cref="ClientWebSocket"/> speaking the session protocol, with bounded receives.</summary>
public sealed class NarviClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private NarviClient(ClientWebSocket socket, JsonElement connected)
    {
        _socket = socket;
        Connected = connected;
        SessionId = connected.GetProperty("session_id").GetString()!;
    }

    /// <summary>The first frame the server sent.</summary>
    public JsonElement Connected { get; }

    public string SessionId { get; }

    public WebSocket Socket => _socket;

    public static async Task<NarviClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, TestTimeouts.DefaultToken()).DefaultTimeout();
        var (type, payload) = await ReceiveAsync(socket);
        type.Should().Be(WebSocketMessageType.Text, "the first frame is session_connected");
        using var document = JsonDocument.Parse(payload);
        return new NarviClient(socket, document.RootElement.Clone());
    }

    public Task SendTextAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    public Task SendBinaryAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    public async Task<string> ReceiveTextAsync()
    {
        var (type, payload) = await ReceiveAsync(_socket);
        type.Should().Be(WebSocketMessageType.Text);
        return Encoding.UTF8.GetString(payload);
    }

    public async Task<byte[]> ReceiveBinaryAsync()
    {
        var (type, payload) = await ReceiveAsync(_socket);
        type.Should().Be(WebSocketMessageType.Binary);
        return payload;
    }

    /// <summary>Waits for the server's close frame and returns its status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        var (type, _) = await ReceiveAsync(_socket);
        type.Should().Be(WebSocketMessageType.Close);
        return _socket.CloseStatus;
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync();
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }

    public static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var payload = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
            payload.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, payload.ToArray());
            }
        }
    }
}
