using ProxyHost.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Routing;

/// <summary>Builds the YARP route and cluster that serve one server under <c>&lt;base_url&gt;&lt;name&gt;/</c>.</summary>
internal static class ServerRouteFactory
{
    /// <summary>
    /// Stands in for the backend address until a request is activated: the real port or socket is
    /// chosen when the process starts and applied per request, so routes never depend on process state.
    /// </summary>
    public const string PlaceholderDestination = "http://127.0.0.1/";

    /// <summary>
    /// YARP cuts a request or upgraded connection after this long without traffic. Notebook tools hold
    /// idle websockets (terminals, desktops) for hours, so the 100 s default is far too short.
    /// A definition's <c>websocket_idle_timeout</c> replaces it for that server's cluster.
    /// </summary>
    public static readonly TimeSpan DefaultActivityTimeout = TimeSpan.FromHours(24);

    public static string RouteId(string serverName) => "server:" + serverName;

    public static string ContextPath(string baseUrl, string serverName) => baseUrl + serverName;

    public static RouteConfig CreateRoute(ServerProcessDefinition definition, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var contextPath = ContextPath(baseUrl, definition.Name);
        var route = new RouteConfig
        {
            RouteId = RouteId(definition.Name),
            ClusterId = RouteId(definition.Name),
            Match = new RouteMatch { Path = contextPath + "/{**rest}" },
            Metadata = new Dictionary<string, string>
            {
                [ProxyMetadata.ServerName] = definition.Name,
                [ProxyMetadata.ContextPath] = contextPath,
                [ProxyMetadata.AbsoluteUrl] = definition.AbsoluteUrl ? "true" : "false",
                [ProxyMetadata.RawSocket] = definition.RawSocketProxy ? "true" : "false",
            },
        };

        route = route
            .WithTransformUseOriginalHostHeader(true)
            .WithTransformXForwarded(xPrefix: ForwardedTransformActions.Off);
        return definition.AbsoluteUrl ? route : route.WithTransformPathRemovePrefix(contextPath);
    }

    public static ClusterConfig CreateCluster(ServerProcessDefinition definition) => new()
    {
        ClusterId = RouteId(definition.Name),
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["backend"] = new() { Address = PlaceholderDestination },
        },
        HttpRequest = new ForwarderRequestConfig
        {
            ActivityTimeout = definition.WebSocketIdleTimeout ?? DefaultActivityTimeout,
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        },
        Metadata = new Dictionary<string, string> { [ProxyMetadata.ServerName] = definition.Name },
    };
}
