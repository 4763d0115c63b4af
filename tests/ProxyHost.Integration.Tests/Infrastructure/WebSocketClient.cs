using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>Websocket client helpers for tests: authenticated <see cref="ClientWebSocket"/>s and a frame-level client.</summary>
public static class WebSocketClient
{
    /// <summary>A connected client with the token header and the handshake response details kept.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(TestProxyHost host, string path, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = Create(configure);
        try
        {
            await socket.ConnectAsync(host.WebSocketUri(path), TestTimeouts.DefaultToken()).DefaultTimeout();
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An unconnected client with the token header and the handshake response details kept.</summary>
    public static ClientWebSocket Create(Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + TestProxyHost.Token);
        socket.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(socket.Options);
        return socket;
    }

    /// <summary>Sends a websocket upgrade request as plain HTTP, so a test can read a refusal's status and body.</summary>
    public static Task<HttpResponseMessage> SendUpgradeRequestAsync(HttpClient client, string path) => WebSocketUpgrade.SendAsync(client, path);

    /// <summary>Receives one whole message (all its frames).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(this WebSocket socket)
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

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    /// <summary>
    /// Opens a websocket by hand on a plain TCP connection and returns the stream after the 101, so a
    /// test can read and write frames itself (pings, pongs) that <see cref="ClientWebSocket"/> hides.
    /// </summary>
    /// <remarks><paramref name="headers"/> replace the token header: each line is sent as written, so a test can repeat a header.</remarks>
    public static async Task<(TcpClient Client, NetworkStream Stream)> ConnectRawAsync(TestProxyHost host, string path, IEnumerable<string>? headers = null)
    {
        var client = new TcpClient();
        await client.ConnectAsync(host.Address.Host, host.Address.Port).DefaultTimeout();
        var stream = client.GetStream();
        var credentials = headers is null ? $"Authorization: token {TestProxyHost.Token}\r\n" : string.Concat(headers.Select(h => h + "\r\n"));
        var request = $"GET {host.BaseUrl}{path} HTTP/1.1\r\nHost: {host.Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{credentials}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).DefaultTimeout();

        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one).DefaultTimeout() == 0)
            {
                throw new IOException("connection closed during the handshake: " + head);
            }
            head.Append((char)one[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            client.Dispose();
            throw new IOException("expected 101, got " + head);
        }
        return (client, stream);
    }

    /// <summary>Writes one masked client frame (FIN set) with a short payload.</summary>
    public static Task WriteClientFrameAsync(Stream stream, byte opcode, byte[] payload)
    {
        byte[] mask = [0x11, 0x22, 0x33, 0x44];
        var frame = new byte[6 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }
        return stream.WriteAsync(frame).AsTask().DefaultTimeout();
    }

    /// <summary>Reads one unmasked server frame with a short payload: its first byte (FIN + opcode) and payload.</summary>
    public static async Task<(byte Header, byte[] Payload)> ReadServerFrameAsync(Stream stream)
    {
        var header = new byte[2];
        await stream.ReadExactlyAsync(header).DefaultTimeout();
        var payload = new byte[header[1] & 0x7F];
        await stream.ReadExactlyAsync(payload).DefaultTimeout();
        return (header[0], payload);
    }
}
