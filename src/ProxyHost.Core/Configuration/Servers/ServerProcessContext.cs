namespace ProxyHost.Configuration;

/// <summary>
/// What a C# callback for <c>command</c>, <c>environment</c> or <c>request_headers_override</c> learns
/// about the server it runs for. One object, so callbacks keep compiling when it grows.
/// </summary>
public sealed class ServerProcessContext
{
    /// <summary>The server's name (its URL segment).</summary>
    public required string ServerName { get; init; }

    /// <summary>The TCP port the server listens on; 0 when it uses a Unix socket.</summary>
    public int Port { get; init; }

    /// <summary>The Unix socket path, or null when the server uses TCP.</summary>
    public string? UnixSocket { get; init; }

    /// <summary>ProxyHost's base URL, starting and ending with '/'.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>Canceled when the start is abandoned (ProxyHost stopping, the server removed).</summary>
    public CancellationToken CancellationToken { get; init; }
}
