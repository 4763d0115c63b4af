using System.Net;
using System.Net.Sockets;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Proxy.RawSockets;

/// <summary>Opens the raw stream to a server's endpoint: loopback TCP or its Unix socket.</summary>
internal static class RawSocketConnector
{
    public static async Task<Socket> ConnectAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = endpoint.UnixSocketPath is null
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        EndPoint target = endpoint.UnixSocketPath is { } path
            ? new UnixDomainSocketEndPoint(path)
            : new IPEndPoint(IPAddress.Loopback, endpoint.Port);
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
