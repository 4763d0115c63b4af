using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;

namespace ProxyHost.Relay.Upstream;

/// <summary>
/// Opens the upstream websocket with HTTP Basic credentials either on every attempt (<c>eager</c>) or,
/// like ELVA, only after the upstream answered 401 (<c>on_401</c>: one immediate retry with them, and
/// from then on always with them).
/// </summary>
internal sealed partial class UpstreamConnector(string relay, string instanceId, RelayOptions options, ILogger logger)
{
    private volatile bool _credentialsRequested;

    public async ValueTask<ClientWebSocket> ConnectAsync(CancellationToken cancellationToken)
    {
        var withCredentials = options.User is not null && (options.SendAuth == RelaySendAuth.Eager || _credentialsRequested);
        var socket = Create(withCredentials);
        try
        {
            await socket.ConnectAsync(options.Upstream!, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.Unauthorized && !withCredentials && options.User is not null)
        {
            socket.Dispose();
            _credentialsRequested = true;
            Log.RetryingWithCredentials(logger, relay);
        }
        catch (WebSocketException e) when (socket.HttpStatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new WebSocketException(WebSocketError.NotAWebSocket, status == HttpStatusCode.Conflict
                ? "the upstream is this relay itself (409); point \"upstream\" at another relay or server"
                : $"the upstream refused the connection with {(int)status} ({(withCredentials ? "check \"user\" and \"password\"" : "it needs credentials")})", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var retry = Create(withCredentials: true);
        try
        {
            await retry.ConnectAsync(options.Upstream!, cancellationToken).ConfigureAwait(false);
            return retry;
        }
        catch
        {
            var status = retry.HttpStatusCode;
            retry.Dispose();
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new WebSocketException(WebSocketError.NotAWebSocket, "the upstream refused the credentials with 401; check \"user\" and \"password\"");
            }
            throw;
        }
    }

    private ClientWebSocket Create(bool withCredentials)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader(Rooms.RelayHub.InstanceHeader, instanceId);
        foreach (var (name, value) in options.UpstreamHeaders)
        {
            socket.Options.SetRequestHeader(name, value);
        }
        if (withCredentials)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}"));
            socket.Options.SetRequestHeader("Authorization", "Basic " + credentials);
        }
        return socket;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.UpstreamRetryingWithCredentials, Level = LogLevel.Information, Message = "Relay {Relay}: the upstream asked for credentials (401); retrying once with HTTP Basic")]
        public static partial void RetryingWithCredentials(ILogger logger, string relay);
    }
}
