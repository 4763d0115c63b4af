using System.Net.Http;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Sends an idempotent request without a body once more when its backend connection failed before any
/// response came back, e.g. the backend closed an idle keep-alive connection just as the request went out
/// (SocketsHttpHandler resends such requests itself only in some of these cases). One retry, so a backend
/// that is really down still fails fast.
/// </summary>
internal sealed class IdempotentRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (IsRetriable(request) && !cancellationToken.IsCancellationRequested)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (HttpRequestException) when (IsRetriable(request) && !cancellationToken.IsCancellationRequested)
        {
            return base.Send(request, cancellationToken);
        }
    }

    /// <summary>GET, HEAD, OPTIONS and TRACE without a body, and not a websocket (or other) upgrade.</summary>
    private static bool IsRetriable(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace)
        && request.Content is null or { Headers.ContentLength: 0 }
        && request.Headers.Upgrade.Count == 0 && !request.Headers.Contains("Upgrade");
}
