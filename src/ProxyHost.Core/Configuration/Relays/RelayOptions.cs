namespace ProxyHost.Configuration;

/// <summary>Which identifier magic prefixes each frame on the multiplexed upstream connection.</summary>
public enum RelayMagic
{
    /// <summary>ASCII "ID" (0x49 0x44), ELVA's current magic; no y-websocket message type uses 0x49.</summary>
    Id,

    /// <summary>0x02 0x00, ELVA's magic before May 2025; it collides with y-websocket's permission-denied message.</summary>
    Legacy,
}

/// <summary>When the relay sends its HTTP Basic credentials to the upstream.</summary>
public enum RelaySendAuth
{
    /// <summary>On every connection attempt.</summary>
    Eager,

    /// <summary>First without; after a 401 retry once with them, then keep sending them (ELVA's behaviour).</summary>
    On401,
}

/// <summary>
/// One relay's settings (the <c>relays.NAME</c> object of proxyhost.json). Without <see cref="Upstream"/>
/// the relay is a y-websocket room server; with it, every room is also multiplexed over one upstream websocket.
/// </summary>
public sealed record RelayOptions
{
    /// <summary>A ws:// or wss:// URL speaking the multiplexed (identifier-prefixed) protocol; null for a local room server.</summary>
    public Uri? Upstream { get; init; }

    /// <summary>HTTP Basic user for the upstream; set together with <see cref="Password"/>.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public RelayMagic Magic { get; init; } = RelayMagic.Id;

    public RelaySendAuth SendAuth { get; init; } = RelaySendAuth.Eager;

    /// <summary>Extra headers on the upstream upgrade request (e.g. a ProxyHost token).</summary>
    public IReadOnlyDictionary<string, string> UpstreamHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether a join also sends the upstream y-websocket's query-awareness message (<c>03</c>), so the upstream's
    /// clients announce themselves at once; turn off for an upstream that rejects unknown message types.
    /// </summary>
    public bool UpstreamQueryAwareness { get; init; } = true;

    /// <summary>Whether <c>&lt;base_url&gt;relay/NAME</c> (no document id) accepts multiplexed peers, such as another relay using this one as upstream.</summary>
    public bool AcceptMultiplexed { get; init; }

    /// <summary>Frames kept for the upstream while it is unreachable; more are dropped, logged and counted.</summary>
    public int UpstreamQueueFrames { get; init; } = 10_000;

    public long UpstreamQueueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Frames waiting for one local client; a client further behind is closed (1008, "too slow").</summary>
    public int ClientQueueFrames { get; init; } = 1_000;

    public long ClientQueueBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>The largest message accepted from a client or the upstream; larger closes that connection (1009).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The longest wait between upstream reconnect attempts (exponential backoff with jitter up to this).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>A named relay, served at <c>&lt;base_url&gt;relay/NAME/{documentId}</c>.</summary>
public sealed record RelayDefinition(string Name, RelayOptions Options);
