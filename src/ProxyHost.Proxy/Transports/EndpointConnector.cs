using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Opens the backend connection for a forwarded request: loopback TCP, or the Unix socket the request names;
/// either way one that is never reused after a response its backend closes it after.
/// </summary>
public static class EndpointConnector
{
    /// <summary>Set on a proxied request to send it over this Unix socket instead of TCP.</summary>
    public static readonly HttpRequestOptionsKey<string> UnixSocketOption = new("ProxyHost.UnixSocket");

    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        EndPoint endPoint;
        Socket socket;
        if (context.InitialRequestMessage.Options.TryGetValue(UnixSocketOption, out var path))
        {
            endPoint = new UnixDomainSocketEndPoint(path);
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        }
        else
        {
            endPoint = context.DnsEndPoint;
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }

        NewConnectionPacer.Slot? slot = null;
        try
        {
            slot = await NewConnectionPacer.EnterAsync(endPoint.ToString()!, cancellationToken).ConfigureAwait(false);
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new PersistentOnlyStream(new NetworkStream(socket, ownsSocket: true), slot);
        }
        catch
        {
            slot?.Release();
            socket.Dispose();
            throw;
        }
    }
}
