namespace ProxyHost.Proxy.Routing;

/// <summary>Keys ProxyHost puts in YARP route and cluster metadata.</summary>
internal static class ProxyMetadata
{
    /// <summary>The server-process name a route or cluster belongs to.</summary>
    public const string ServerName = "ProxyHost.Server";

    /// <summary>The context path (<c>&lt;base_url&gt;&lt;name&gt;</c>, no trailing slash).</summary>
    public const string ContextPath = "ProxyHost.ContextPath";

    /// <summary>"true" when the backend sees the full path.</summary>
    public const string AbsoluteUrl = "ProxyHost.AbsoluteUrl";

    /// <summary>"true" when websockets are bridged to a raw TCP or Unix socket.</summary>
    public const string RawSocket = "ProxyHost.RawSocket";
}
