using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>
/// Whether another process already listens on a fixed port at an address a server would use: a bind
/// test on 127.0.0.1 and ::1, the socket closed at once. On Linux a bind conflicts with any listener
/// that would take those connections — on the same address, on 0.0.0.0 or a dual-stack ::, and one
/// with SO_REUSEPORT (the test socket does not set it) — so a squatter cannot hide from it.
/// </summary>
internal static class LoopbackPortCheck
{
    public static bool IsInUse(int port) => IsInUse(IPAddress.Loopback, port) || IsInUse(IPAddress.IPv6Loopback, port);

    private static bool IsInUse(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (!OperatingSystem.IsWindows())
        {
            // SO_REUSEADDR as servers set it: the TIME_WAIT connections a previous run of the server left
            // on its port are no squatter, while a listener still refuses the bind. (On Windows the option
            // would let the bind succeed over a listener.)
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException ex)
        {
            // Anything else (no IPv6 loopback, a privileged port) says nothing about another listener.
            return ex.SocketErrorCode == SocketError.AddressAlreadyInUse;
        }
    }
}
