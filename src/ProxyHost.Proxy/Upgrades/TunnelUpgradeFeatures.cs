using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>Hands out the connection's upgraded stream wrapped in a <see cref="WebSocketTunnelStream"/> (HTTP/1.1 upgrade).</summary>
internal sealed class TunnelUpgradeFeature(IHttpUpgradeFeature inner, UpgradedConnection connection) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => connection.Tunnel(await inner.UpgradeAsync().ConfigureAwait(false));
}

/// <summary>The same for a websocket opened with HTTP/2's extended CONNECT.</summary>
internal sealed class TunnelExtendedConnectFeature(IHttpExtendedConnectFeature inner, UpgradedConnection connection) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => connection.Tunnel(await inner.AcceptAsync().ConfigureAwait(false));
}
