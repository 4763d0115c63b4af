namespace ProxyHost.Configuration;

/// <summary>
/// Limits on what one client may make ProxyHost hold: header and body sizes, slow senders, open
/// connections and raw-bridge websocket messages. The defaults are generous enough for notebooks,
/// IDEs and uploads, and small enough that one client cannot exhaust the host.
/// </summary>
public sealed class ProxyHostLimits
{
    /// <summary>The largest request body a proxied server accepts unless its <c>max_request_body_size</c> says otherwise (1 GiB).</summary>
    public const long DefaultMaxRequestBodySize = 1L << 30;

    /// <summary>The total size of a request's headers (431 beyond it).</summary>
    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    /// <summary>The body size for servers without <c>max_request_body_size</c> and for ProxyHost's own endpoints (413 beyond it).</summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>How long a client may take to send its request headers (slow-loris clients are cut off after it).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The slowest a request body may arrive, in bytes per second, after <see cref="MinRequestBodyGracePeriod"/>.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    /// <summary>How long a body may arrive slower than <see cref="MinRequestBodyDataRate"/> (more than one second).</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Authenticated connections one client address may hold at once (websockets included); 0 means no limit.
    /// As many more that have not sent the token yet are kept, the oldest closed when another arrives.
    /// Behind another proxy every client shares that proxy's address.
    /// </summary>
    public int MaxConnectionsPerClient { get; set; } = 256;

    /// <summary>The largest websocket message a client may send through a raw-socket bridge (closed with 1009 beyond it).</summary>
    public long MaxWebSocketMessageSize { get; set; } = 16L * 1024 * 1024;
}
