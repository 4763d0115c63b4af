using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ProxyHost.Proxy.Routing;
using ProxyHost.Proxy.Transports;
using ProxyHost.Supervision.Logs;

namespace ProxyHost.Proxy.Metrics;

/// <summary>
/// The first proxy-pipeline step: opens the server-name log scope, times every request to a server,
/// counts its body bytes both ways and its status class, and counts open websockets. It wraps
/// activation, so starting pages and 503s count too.
/// </summary>
internal sealed class ProxyTelemetryStep(ProxyHostMetrics metrics, ILogger<ProxyTelemetryStep> logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var metadata = context.GetRouteModel().Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.ServerName, out var name))
        {
            await next(context);
            return;
        }

        using var logScope = logger.BeginScope(new ServerLogScope(name));
        var started = Stopwatch.GetTimestamp();
        var responseBody = new CountingStream(context.Response.Body);
        context.Response.Body = responseBody;
        CountingStream? requestBody = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false } && context.Request.Body is { } body && body != Stream.Null)
        {
            requestBody = new CountingStream(body);
            context.Request.Body = requestBody;
        }
        var kind = metadata.TryGetValue(ProxyMetadata.RawSocket, out var raw) && raw == "true" ? ProxyHostMetrics.RawSocket : ProxyHostMetrics.WebSocket;
        using var connection = IsWebSocket(context) ? metrics.ConnectionOpened(name, kind) : null;
        try
        {
            await next(context);
        }
        finally
        {
            // An upgraded connection's bytes bypass these streams; its lifetime shows as an open connection instead.
            metrics.RequestCompleted(name, context.Response.StatusCode, Stopwatch.GetElapsedTime(started),
                requestBody?.BytesCounted ?? 0, responseBody.BytesCounted);
        }
    }

    // YARP forwards upgrades itself (no websocket middleware), so look at the request rather than context.WebSockets.
    private static bool IsWebSocket(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest
        || string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: var protocol }
            && string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>Counts the bytes read or written through a request or response body; the body stays Kestrel's.</summary>
    private sealed class CountingStream(Stream inner) : ObservedStream(inner, ownsInner: false)
    {
        private long _bytes;

        public long BytesCounted => Interlocked.Read(ref _bytes);

        protected override void OnRead(int count) => Interlocked.Add(ref _bytes, count);

        protected override void OnWritten(int count) => Interlocked.Add(ref _bytes, count);
    }
}
