using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>
/// Picks a free loopback TCP port by binding 127.0.0.1:0 and closing the socket. Another process may
/// take the port before the server binds it; a start that fails that way is retried on the next request.
/// </summary>
internal sealed class PortAllocator
{
    public int AllocatePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
