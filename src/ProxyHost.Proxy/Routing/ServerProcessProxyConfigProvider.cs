using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace ProxyHost.Proxy.Routing;

/// <summary>
/// Feeds YARP one route and cluster per server definition. YARP re-reads it when the catalog's change
/// token fires, so editing the config adds, changes or removes routes live.
/// </summary>
internal sealed class ServerProcessProxyConfigProvider(IServerProcessCatalog catalog, IOptions<ProxyHostOptions> options)
    : IProxyConfigProvider
{
    private ProxyConfigSnapshot? _cached;

    public IProxyConfig GetConfig()
    {
        var snapshot = catalog.Current;
        var cached = _cached;
        if (cached is not null && cached.CatalogVersion == snapshot.Version)
        {
            return cached;
        }

        // Take the token before reading again so a change in between is never missed.
        var changeToken = catalog.GetChangeToken();
        snapshot = catalog.Current;
        var baseUrl = options.Value.BaseUrl;
        var config = new ProxyConfigSnapshot(
            snapshot.Version,
            [.. snapshot.Servers.Select(s => ServerRouteFactory.CreateRoute(s, baseUrl))],
            [.. snapshot.Servers.Select(ServerRouteFactory.CreateCluster)],
            changeToken);
        _cached = config;
        return config;
    }

    private sealed class ProxyConfigSnapshot(
        long catalogVersion, IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, IChangeToken changeToken)
        : IProxyConfig
    {
        public long CatalogVersion { get; } = catalogVersion;

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken { get; } = changeToken;

        public string RevisionId => CatalogVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
