using System.Net.WebSockets;
using System.Threading.Channels;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>Receives whole messages into a channel until the peer closes (answering its close) or the socket fails.</summary>
public static class MessageLoop
{
    /// <returns>The peer's close status and reason, or null and the error when the socket failed.</returns>
    public static async Task<(WebSocketCloseStatus? Status, string? Reason)> RunAsync(WebSocket socket, ChannelWriter<byte[]> messages)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    return (result.CloseStatus, result.CloseStatusDescription);
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    messages.TryWrite(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            return (null, e.Message);
        }
    }
}
