using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>
/// Where a backend listens: a loopback TCP port or a Unix socket path. Every connection ProxyHost opens
/// to a backend (readiness probes, forwarded HTTP and websockets, the raw-socket bridge) goes through
/// <see cref="ConnectAsync(EndPoint, CancellationToken)"/>.
/// </summary>
public sealed record ServerEndpoint
{
    /// <summary>Set on an HTTP request to send it over this Unix socket path instead of TCP (see <see cref="RouteOver"/>).</summary>
    public static readonly HttpRequestOptionsKey<string> UnixSocketRequestOption = new("ProxyHost.UnixSocket");

    private ServerEndpoint(int port, string? unixSocketPath)
    {
        (Port, UnixSocketPath) = (port, unixSocketPath);
        HttpOrigin = unixSocketPath is null ? "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) : "http://localhost";
    }

    public static ServerEndpoint Tcp(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        return new(port, null);
    }

    public static ServerEndpoint UnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(0, path);
    }

    /// <summary>The TCP port, or 0 for a Unix socket (as the <c>&lt;port&gt;</c> template renders).</summary>
    public int Port { get; }

    public string? UnixSocketPath { get; }

    public bool IsUnixSocket => UnixSocketPath is not null;

    /// <summary>The scheme and authority requests to this endpoint use (<c>http://localhost</c> over a Unix socket).</summary>
    public string HttpOrigin { get; }

    /// <summary>The socket address: the Unix socket, or the port on 127.0.0.1.</summary>
    public EndPoint EndPoint => UnixSocketPath is { } path ? new UnixDomainSocketEndPoint(path) : new IPEndPoint(IPAddress.Loopback, Port);

    /// <summary>Opens a connected socket to this endpoint.</summary>
    public Task<Socket> ConnectAsync(CancellationToken cancellationToken) => ConnectAsync(EndPoint, cancellationToken);

    /// <summary>Makes <paramref name="request"/> travel over this endpoint's Unix socket, when it has one.</summary>
    public void RouteOver(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (UnixSocketPath is { } path)
        {
            request.Options.Set(UnixSocketRequestOption, path);
        }
    }

    /// <summary>Where an HTTP connection for this request goes: the Unix socket it was routed over, else its URL's host and port.</summary>
    public static EndPoint ConnectTarget(SocketsHttpConnectionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.InitialRequestMessage.Options.TryGetValue(UnixSocketRequestOption, out var path)
            ? new UnixDomainSocketEndPoint(path)
            : context.DnsEndPoint;
    }

    /// <summary>
    /// Opens a connected stream socket to <paramref name="target"/>: a Unix socket, or TCP with Nagle off
    /// (dual-stack for a host name). The socket is disposed when the connect fails.
    /// </summary>
    public static async Task<Socket> ConnectAsync(EndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var socket = target.AddressFamily switch
        {
            AddressFamily.Unix => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
            AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
            _ => new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
        };
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

    public override string ToString() => UnixSocketPath is { } path ? "unix:" + path : "127.0.0.1:" + Port;
}
