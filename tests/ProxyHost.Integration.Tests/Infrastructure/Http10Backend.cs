using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>
/// A raw TCP backend on 127.0.0.1:0 that answers each request with an HTTP/1.0 response without keep-alive
/// and closes the connection a moment later, as Python's <c>http.server</c> does, and counts the requests
/// that still arrived on a connection after its response. The first <c>resetConnections</c> connections are
/// reset as soon as their request arrives, as a backend that drops connections under load does.
/// </summary>
public sealed class Http10Backend : IAsyncDisposable
{
    private static readonly byte[] Response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private readonly TimeSpan _closeDelay;
    private readonly int _resetConnections;
    private int _lateRequests;
    private int _connectionCount;

    public Http10Backend(TimeSpan closeDelay, int resetConnections = 0)
    {
        _closeDelay = closeDelay;
        _resetConnections = resetConnections;
        _listener.Start(backlog: 512);
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests whose bytes arrived on a connection after it had been answered.</summary>
    public int LateRequests => Volatile.Read(ref _lateRequests);

    public int Connections => Volatile.Read(ref _connectionCount);

    /// <summary>Completes when every accepted connection has been answered and closed.</summary>
    public async Task DrainAsync()
    {
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        await Task.WhenAll(running).DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DrainAsync();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var reset = Interlocked.Increment(ref _connectionCount) <= _resetConnections;
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket, reset));
            }
        }
    }

    private async Task ServeAsync(Socket socket, bool reset)
    {
        using var _ = socket;
        var buffer = new byte[16 * 1024];
        var received = new StringBuilder();
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        try
        {
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, deadline.Token);
                if (read == 0)
                {
                    return;
                }
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
            if (reset)
            {
                socket.LingerState = new LingerOption(enable: true, seconds: 0);
                return;
            }
            await socket.SendAsync(Response, deadline.Token);

            // The moment between the response and the close, in which a client that pools the connection sends into it.
            using var moment = new CancellationTokenSource(_closeDelay);
            if (await socket.ReceiveAsync(buffer, moment.Token) > 0)
            {
                Interlocked.Increment(ref _lateRequests);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }
}
