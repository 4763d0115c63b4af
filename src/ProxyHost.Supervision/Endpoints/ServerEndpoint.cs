using System.Globalization;
using System.Net;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>Where a backend listens: a loopback TCP port or a Unix socket path.</summary>
public sealed record ServerEndpoint
{
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

    public override string ToString() => UnixSocketPath is { } path ? "unix:" + path : "127.0.0.1:" + Port;
}
