using System.Net.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// YARP's client factory with a connect step that honours a per-request Unix socket, so TCP and
/// Unix-socket backends share one forwarding path.
/// </summary>
internal sealed class EndpointAwareHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = EndpointConnector.ConnectAsync;
        handler.ConnectTimeout = TimeSpan.FromSeconds(10);
    }
}
