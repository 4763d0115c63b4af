namespace ProxyHost.Configuration;

/// <summary>
/// The keys of a <c>servers.NAME</c> object and the ranges of their values: the one list that the
/// config reader, the writer behind <c>proxyhost add</c> and the <c>add</c> options all follow, so a key
/// cannot be known to one of them and missing from another.
/// </summary>
internal static class ServerKeys
{
    public const string Command = "command";
    public const string Timeout = "timeout";
    public const string Environment = "environment";
    public const string AbsoluteUrl = "absolute_url";
    public const string Port = "port";
    public const string UnixSocket = "unix_socket";
    public const string MapPath = "mappath";
    public const string LauncherEntry = "launcher_entry";
    public const string NewBrowserTab = "new_browser_tab";
    public const string RequestHeadersOverride = "request_headers_override";
    public const string UpdateLastActivity = "update_last_activity";
    public const string RawSocketProxy = "raw_socket_proxy";
    public const string WebSocketIdleTimeout = "websocket_idle_timeout";
    public const string WebSocketPingInterval = "websocket_ping_interval";
    public const string IdleTimeout = "idle_timeout";
    public const string MaxRequestBodySize = "max_request_body_size";
    public const string ReadyCheckPath = "ready_check_path";
    public const string ReadyStatus = "ready_status";
    public const string Limits = "limits";

    public static readonly IReadOnlyList<string> All =
    [
        Command, Timeout, Environment, AbsoluteUrl, Port, UnixSocket, MapPath, LauncherEntry,
        NewBrowserTab, RequestHeadersOverride, UpdateLastActivity, RawSocketProxy,
        WebSocketIdleTimeout, WebSocketPingInterval, IdleTimeout, MaxRequestBodySize, ReadyCheckPath, ReadyStatus, Limits,
    ];

    /// <summary>The keys of <c>launcher_entry</c>.</summary>
    public static class Launcher
    {
        public const string Enabled = "enabled";
        public const string IconPath = "icon_path";
        public const string Title = "title";
        public const string PathInfo = "path_info";
        public const string Category = "category";

        public static readonly IReadOnlyList<string> All = [Enabled, IconPath, Title, PathInfo, Category];
    }

    /// <summary>The keys of <c>limits</c>.</summary>
    public static class Limit
    {
        public const string Memory = "memory";
        public const string Cpu = "cpu";
        public const string Processes = "processes";
        public const string OpenFiles = "open_files";

        public static readonly IReadOnlyList<string> All = [Memory, Cpu, Processes, OpenFiles];

        public const string CpuExpected = "a number of cores greater than 0 such as 1.5 (at most 4096)";

        public const string CountExpected = "a whole number greater than 0 (at most 1048576)";

        public static bool IsCpus(double cores) => cores is > 0 and <= 4096;

        public static bool IsCount(long count) => count is > 0 and <= 1_048_576;
    }

    /// <summary><c>timeout</c>: how long a start may take; a day at most.</summary>
    public static readonly SecondsRange StartTimeout = new(86_400);

    /// <summary><c>websocket_idle_timeout</c> and <c>websocket_ping_interval</c>: a week at most.</summary>
    public static readonly SecondsRange WebSocketSeconds = new(604_800, NullMeans: "none");

    /// <summary><c>idle_timeout</c>: a year at most.</summary>
    public static readonly SecondsRange IdleSeconds = new(31_536_000, NullMeans: "never");

    public const string ReadyCheckPathExpected = "a path starting with '/' such as \"/api/status\"";

    public const string ReadyStatusExpected = "a status such as 200, a class such as \"2xx\" or a range such as \"200-399\"";

    public const string MapPathRule = "mappath keys and values are paths and must start with '/'";

    /// <summary>A <c>ready_check_path</c>: a path the readiness request can ask for as it is.</summary>
    public static bool IsReadyCheckPath(string path) => path.StartsWith('/') && !path.Contains('#', StringComparison.Ordinal);
}

/// <summary>A number of seconds greater than 0 and at most <paramref name="Max"/>; in a config file, null means <paramref name="NullMeans"/> when that is given.</summary>
internal sealed record SecondsRange(double Max, string? NullMeans = null)
{
    public bool Contains(double seconds) => seconds > 0 && seconds <= Max;

    /// <summary>What a command-line value must be, after "expected".</summary>
    public string Expected => $"a number of seconds greater than 0 (at most {Max:0})";

    /// <summary>What a config value must be, after "expected".</summary>
    public string ExpectedInConfig => NullMeans is null ? Expected : $"{Expected}, or null for {NullMeans}";
}
