using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder between a relay and its upstream, so a test can cut only that link (both ends
/// stay up) and keep it cut: while down, new connections are closed at once.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private volatile bool _down;

    /// <param name="target">Where to forward; may be set later through <see cref="Target"/> (connections until then are closed).</param>
    public TcpForwarder(IPEndPoint? target = null)
    {
        Target = target;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint? Target { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every forwarded connection and refuses new ones until <see cref="Up"/>.</summary>
    public void Down()
    {
        _down = true;
        foreach (var socket in _sockets.Keys)
        {
            socket.Close();
        }
    }

    public void Up() => _down = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Down();
        await _acceptLoop;
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                if (_down || Target is not { } target)
                {
                    client.Close();
                    continue;
                }
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(target, _stop.Token);
                _sockets[client] = 0;
                _sockets[server] = 0;
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[1 << 16];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Close();
            to.Close();
            _sockets.TryRemove(from, out _);
            _sockets.TryRemove(to, out _);
        }
    }
}
