using ProxyHost.Collections;

namespace ProxyHost.Configuration;

/// <summary>
/// How to start and proxy one web tool: the jupyter-server-proxy server-process options, one record
/// per server. Immutable; a changed definition is a new record, compared by value.
/// </summary>
public sealed record ServerProcessDefinition
{
    /// <summary>The default readiness deadline, as in jupyter-server-proxy.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>URL segment and process name; served under <c>&lt;base_url&gt;&lt;name&gt;/</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Argv templates. Empty means the server runs elsewhere and is only proxied.</summary>
    public EquatableArray<string> Command { get; init; } = EquatableArray<string>.Empty;

    /// <summary>How long a started process may take to answer before it counts as failed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Variables added to ProxyHost's own environment (values are templates).</summary>
    public EquatableMap Environment { get; init; } = EquatableMap.Empty;

    /// <summary>True: the backend sees the full public path; false: the prefix is stripped.</summary>
    public bool AbsoluteUrl { get; init; }

    /// <summary>A fixed TCP port; 0 picks a free loopback port when the process starts.</summary>
    public int Port { get; init; }

    /// <summary>Whether the backend listens on a Unix socket, and where.</summary>
    public UnixSocketSetting UnixSocket { get; init; } = UnixSocketSetting.None;

    /// <summary>Exact request path (after prefix stripping) to backend path replacements.</summary>
    public EquatableMap MapPath { get; init; } = EquatableMap.Empty;

    /// <summary>How front-ends show this server as a launcher tile.</summary>
    public LauncherEntry LauncherEntry { get; init; } = new();

    /// <summary>Front-end hint: open in a new browser tab rather than an embedded frame.</summary>
    public bool NewBrowserTab { get; init; } = true;

    /// <summary>Headers set on every proxied request, replacing any the client sent (values are templates).</summary>
    public EquatableMap RequestHeadersOverride { get; init; } = EquatableMap.Empty;

    /// <summary>Whether proxied traffic counts as user activity (for idle culling).</summary>
    public bool UpdateLastActivity { get; init; } = true;

    /// <summary>The backend speaks raw TCP; websockets are bridged to it and plain HTTP gets 405.</summary>
    public bool RawSocketProxy { get; init; }

    /// <summary>
    /// How long a websocket (proxied or bridged) may carry no traffic before ProxyHost closes it;
    /// null keeps it open for as long as the proxy's default allows (24 hours).
    /// </summary>
    public TimeSpan? WebSocketIdleTimeout { get; init; }

    /// <summary>
    /// How often ProxyHost pings an idle client on a websocket it owns (the raw-socket bridge) to keep
    /// middleboxes from dropping it; null sends none.
    /// </summary>
    public TimeSpan? WebSocketPingInterval { get; init; }

    /// <summary>Stop the process after this long without proxied traffic (it starts again on the next request); null never stops it.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The largest request body, in bytes, a client may send to this server (413 beyond it); null uses the host's limit (1 GiB by default).</summary>
    public long? MaxRequestBodySize { get; init; }

    /// <summary>The path the readiness request asks for (<c>ready_check_path</c>); jupyter-server-proxy always uses <c>/</c>.</summary>
    public string ReadyCheckPath { get; init; } = "/";

    /// <summary>
    /// Statuses of the readiness request that mean ready (<c>ready_status</c>, see <see cref="Configuration.ReadyStatus"/>);
    /// empty means any response, as in jupyter-server-proxy.
    /// </summary>
    public EquatableArray<string> ReadyStatus { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The resources the server's process tree may use (<c>limits</c>).</summary>
    public ServerLimits Limits { get; init; } = ServerLimits.None;

    // --- callables (C# API; see ServerProcessCallbacks and ServerProcessDefinitionCallbackExtensions) ---

    /// <summary>Computes the argv when the process starts; replaces <see cref="Command"/>. Its result is not template-expanded.</summary>
    public Func<ServerProcessContext, ValueTask<IReadOnlyList<string>>>? CommandCallback { get; init; }

    /// <summary>Computes variables when the process starts, added after <see cref="Environment"/> (winning on the same name).</summary>
    public Func<ServerProcessContext, ValueTask<IReadOnlyDictionary<string, string>>>? EnvironmentCallback { get; init; }

    /// <summary>Computes header overrides once per start, added after <see cref="RequestHeadersOverride"/> (winning on the same name).</summary>
    public Func<ServerProcessContext, ValueTask<IReadOnlyDictionary<string, string>>>? RequestHeadersCallback { get; init; }

    /// <summary>Maps a request path (after prefix stripping, decoded, without query) when <see cref="MapPath"/> has no exact entry.</summary>
    public Func<string, string>? MapPathCallback { get; init; }

    /// <summary>
    /// Functions that may change a response before the client sees it (<c>rewrite_response</c>, C# API), in order.
    /// Only servers that set it are buffered; every other response streams.
    /// </summary>
    public EquatableArray<ResponseRewriter> RewriteResponse { get; init; } = EquatableArray<ResponseRewriter>.Empty;

    /// <summary>True when ProxyHost starts and supervises a process for this server.</summary>
    public bool IsManaged => !Command.IsEmpty || CommandCallback is not null;

    /// <summary>The path a front-end opens, relative to the base URL.</summary>
    public string LauncherPath => LauncherEntry.PathInfo ?? Name + "/";

    /// <summary>The launcher title, defaulting to the name.</summary>
    public string LauncherTitle => LauncherEntry.Title ?? Name;
}
