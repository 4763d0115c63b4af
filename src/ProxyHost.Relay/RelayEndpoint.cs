using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Relay.Rooms;
using ProxyHost.Relay.Sessions;

namespace ProxyHost.Relay;

/// <summary>
/// <c>&lt;base_url&gt;relay/NAME/{documentId}</c>: checks the request before the upgrade (unknown relay 404;
/// no or bad document id, or not a websocket, 400 with the reason) and then serves the websocket.
/// <c>&lt;base_url&gt;relay/NAME</c> exactly, without a trailing slash, is the multiplexed peer endpoint when the
/// relay has <c>accept_multiplexed</c>.
/// </summary>
internal sealed class RelayEndpoint(RelayRegistry registry, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
{
    public const int MaxDocumentIdBytes = 1024;

    public async Task HandleAsync(HttpContext context, string relay, string? document, string baseUrl)
    {
        if (registry.Find(relay) is not { } hub)
        {
            var known = registry.Hubs.Count == 0 ? "none is configured" : "configured: " + string.Join(", ", registry.Hubs.Select(h => h.Name).Order());
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"There is no relay named '{relay}' ({known}).").ConfigureAwait(false);
            return;
        }

        var clientPath = $"{baseUrl}relay/{hub.Name}/<documentId>";
        if (string.IsNullOrEmpty(document))
        {
            var multiplexed = context.Request.Path.Value?.EndsWith('/') == false && hub.Options.AcceptMultiplexed;
            if (!multiplexed)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest,
                    $"No document id: connect y-websocket clients to {clientPath} (the y-websocket room name is the document id)." +
                    (hub.Options.AcceptMultiplexed ? $" Multiplexed peers connect to {baseUrl}relay/{hub.Name} without a trailing slash." : "")).ConfigureAwait(false);
                return;
            }
            if (context.Request.Headers[RelayHub.InstanceHeader] == hub.InstanceId)
            {
                await RefuseAsync(context, StatusCodes.Status409Conflict,
                    $"Relay '{hub.Name}' cannot be its own upstream: it would echo its frames forever.").ConfigureAwait(false);
                return;
            }
            if (await AcceptAsync(context, hub, clientPath).ConfigureAwait(false) is { } peerSocket)
            {
                using (peerSocket)
                {
                    await new MultiplexedSession(peerSocket, hub, loggers.CreateLogger<MultiplexedSession>()).RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
                }
            }
            return;
        }

        if (ValidateDocumentId(document) is { } problem)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"Bad document id: {problem}.").ConfigureAwait(false);
            return;
        }
        if (await AcceptAsync(context, hub, clientPath).ConfigureAwait(false) is { } socket)
        {
            using (socket)
            {
                await new ClientSession(socket, hub, document, loggers.CreateLogger<ClientSession>()).RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
            }
        }
    }

    internal static string? ValidateDocumentId(string document)
    {
        if (Encoding.UTF8.GetByteCount(document) > MaxDocumentIdBytes)
        {
            return $"longer than {MaxDocumentIdBytes} bytes";
        }
        return document.Any(char.IsControl) ? "it contains control characters" : null;
    }

    private static async Task<System.Net.WebSockets.WebSocket?> AcceptAsync(HttpContext context, RelayHub hub, string clientPath)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest,
                $"Relay '{hub.Name}' speaks websockets only: open {clientPath} with a y-websocket client.").ConfigureAwait(false);
            return null;
        }
        return await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }
}
