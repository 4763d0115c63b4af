using System.Net.Http;
using System.Net.Sockets;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Opens the backend connection for a forwarded request: loopback TCP, or the Unix socket the request was routed over;
/// either way one that is never reused after a response its backend closes it after.
/// </summary>
internal static class EndpointConnector
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var target = ServerEndpoint.ConnectTarget(context);
        var slot = await NewConnectionPacer.EnterAsync(target.ToString()!, cancellationToken).ConfigureAwait(false);
        try
        {
            var socket = await ServerEndpoint.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return new PersistentOnlyStream(new NetworkStream(socket, ownsSocket: true), slot);
        }
        catch
        {
            slot.Release();
            throw;
        }
    }
}
