using System.Net.WebSockets;

namespace LoadGen;

internal static class WebSockets
{
    /// <summary>Opens <paramref name="count"/> websockets, at most 64 handshakes at a time.</summary>
    public static async Task<ClientWebSocket[]> OpenAsync(Uri url, int count, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(64);
        var sockets = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var socket = new ClientWebSocket();
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(url, cancellationToken);
                return socket;
            }
            finally
            {
                gate.Release();
            }
        }));
        return sockets;
    }

    public static void Abort(IEnumerable<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
