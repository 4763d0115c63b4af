using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>
/// Registers every upgrade request (HTTP/1.1 <c>Upgrade</c> or HTTP/2 extended CONNECT) with
/// <see cref="UpgradedConnections"/> while it runs, and gives a websocket that YARP will tunnel a stream
/// that can close it with 1001 at a frame boundary. Runs after the websocket middleware, which has already
/// taken the unwrapped features for ProxyHost's own websocket endpoints (they send their own 1001).
/// </summary>
internal sealed class UpgradedConnectionMiddleware(RequestDelegate next, UpgradedConnections connections)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgradable ? upgradable : null;
        var connect = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } extended ? extended : null;
        if (upgrade is null && connect is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (connections.Open(context) is not { } connection)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        try
        {
            if (upgrade is not null && IsWebSocket(context.Request.Headers.Upgrade))
            {
                context.Features.Set<IHttpUpgradeFeature>(new TunnelUpgradeFeature(upgrade, connection));
            }
            if (connect is not null && IsWebSocket(connect.Protocol))
            {
                context.Features.Set<IHttpExtendedConnectFeature>(new TunnelExtendedConnectFeature(connect, connection));
            }
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            await connections.EndAsync(connection).ConfigureAwait(false);
        }
    }

    private static bool IsWebSocket(string? protocol) => string.Equals(protocol?.Trim(), "websocket", StringComparison.OrdinalIgnoreCase);
}
