using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// A backend that answers a websocket request with a 2xx instead of 101 is not a websocket server;
/// passing its 200 on would leave the client with a failed handshake and no reason. This turns it into
/// a 502 (the activation step writes the page); error statuses (403, 404, …) pass through as they are.
/// </summary>
internal sealed class WebSocketRefusalTransform : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { IsSuccessStatusCode: true } response
            && context.HttpContext.WebSockets.IsWebSocketRequest
            && context.HttpContext.Response.StatusCode != StatusCodes.Status101SwitchingProtocols)
        {
            context.HttpContext.Response.Headers.Clear();
            context.HttpContext.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.SuppressResponseBody = true;
            context.HttpContext.Features.Set(new WebSocketRefusedFeature((int)response.StatusCode));
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Marks a websocket request the backend answered with this non-101 success status.</summary>
internal sealed record WebSocketRefusedFeature(int BackendStatusCode);
