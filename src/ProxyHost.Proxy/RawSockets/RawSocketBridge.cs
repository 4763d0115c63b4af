using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activity;
using ProxyHost.Proxy.Pages;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Proxy.RawSockets;

/// <summary>
/// Serves a websocket for a <c>raw_socket_proxy</c> server (websockify-style): connects to the
/// server's TCP port or Unix socket first, so a refused backend answers 502 instead of a 101 that
/// closes at once, then accepts the websocket and copies bytes both ways until either side ends.
/// </summary>
internal sealed partial class RawSocketBridge(
    IServerActivitySink activity, TimeProvider time, IHostApplicationLifetime lifetime, IOptions<ProxyHostOptions> options, ILogger<RawSocketBridge> logger)
{
    /// <summary>Bridges an authenticated websocket request to the ready server; the caller has checked it is a websocket request.</summary>
    public async Task BridgeAsync(HttpContext context, ServerProcessDefinition definition, ActiveServer server)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(server);

        Socket backend;
        try
        {
            backend = await server.Endpoint.ConnectAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            Log.ConnectFailed(logger, server.Name, server.Endpoint.ToString(), e.SocketErrorCode);
            await ErrorPage.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway",
                $"'{server.Name}' did not accept a connection on {server.Endpoint} ({e.SocketErrorCode}). It may have crashed; try again.").ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        using (backend)
        {
            var (subProtocol, encoding) = RawSocketSubProtocol.Select(context.WebSockets.WebSocketRequestedProtocols);
            var accept = new WebSocketAcceptContext { SubProtocol = subProtocol };
            if (definition.WebSocketPingInterval is { } interval)
            {
                // A timeout makes .NET send real pings (not unsolicited pongs) and drop a client that stops answering.
                accept.KeepAliveInterval = interval;
                accept.KeepAliveTimeout = interval;
            }
            using var webSocket = await context.WebSockets.AcceptWebSocketAsync(accept).ConfigureAwait(false);

            var name = server.Name;
            activity.RecordActivity(name);
            var session = new RawSocketSession(webSocket, backend, encoding, () => activity.RecordActivity(name), definition.WebSocketIdleTimeout, options.Value.Limits.MaxWebSocketMessageSize, time);
            Log.Bridging(logger, name, server.Endpoint.ToString(), subProtocol ?? "(none)");
            var end = await session.RunAsync(context.RequestAborted, lifetime.ApplicationStopping).ConfigureAwait(false);
            Log.Ended(logger, name, end);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.RawSocketConnectFailed, Level = LogLevel.Warning, Message = "{Server}: raw socket connect to {Endpoint} failed ({Error})")]
        public static partial void ConnectFailed(ILogger logger, string server, string endpoint, SocketError error);

        [LoggerMessage(EventId = ProxyEventIds.RawSocketBridging, Level = LogLevel.Debug, Message = "{Server}: bridging a websocket to {Endpoint} (subprotocol {SubProtocol})")]
        public static partial void Bridging(ILogger logger, string server, string endpoint, string subProtocol);

        [LoggerMessage(EventId = ProxyEventIds.RawSocketEnded, Level = LogLevel.Debug, Message = "{Server}: raw socket bridge ended ({End})")]
        public static partial void Ended(ILogger logger, string server, RawSocketEnd end);
    }
}
