using System.Net.Http;
using Microsoft.Extensions.Logging;
using ProxyHost.Proxy.Activity;
using ProxyHost.Proxy.Routing;
using Yarp.ReverseProxy.Forwarder;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// YARP's client factory with a connect step that honours a per-request Unix socket, so TCP and
/// Unix-socket backends share one forwarding path, and idempotent requests that lost their connection are sent once more.
/// </summary>
internal sealed class EndpointAwareHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IServerActivitySink activity)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        // A cluster's client serves one server: its connections' reads and writes are that server's activity.
        var server = context.NewMetadata?.GetValueOrDefault(ProxyMetadata.ServerName);
        handler.ConnectCallback = server is null ? EndpointConnector.ConnectAsync : (connection, cancellationToken) => ConnectAsync(connection, server, cancellationToken);
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new IdempotentRetryHandler(base.WrapHandler(context, handler));

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, string server, CancellationToken cancellationToken) =>
        new ActivityRecordingStream(await EndpointConnector.ConnectAsync(context, cancellationToken).ConfigureAwait(false), activity, server);
}
