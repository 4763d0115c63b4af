using System.Net.Http;
using Microsoft.Extensions.Logging;
using ProxyHost.Proxy.Activity;
using Yarp.ReverseProxy.Forwarder;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// YARP's client factory with a connect step that honours a per-request Unix socket, so TCP and
/// Unix-socket backends share one forwarding path.
/// </summary>
internal sealed class EndpointAwareHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, IServerActivitySink activity)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = ConnectAsync;
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
    }

    // A cluster's connections all belong to one server, so the first request's server names the connection.
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var stream = await EndpointConnector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        return context.InitialRequestMessage.Options.TryGetValue(EndpointConnector.ActivityServerOption, out var server)
            ? new ActivityRecordingStream(stream, activity, server)
            : stream;
    }
}
