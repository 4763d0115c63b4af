using System.Net.Http;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Sends an idempotent request without a body again when its backend connection failed before any
/// response came back, e.g. the backend closed an idle keep-alive connection just as the request went out,
/// or Python's <c>http.server</c> dropped a connection from its tiny listen queue (SocketsHttpHandler resends
/// such requests itself only on a reused connection). Up to four attempts, the later ones after 10, 50 and
/// 250 ms: a backend that lost one connection answers the next at once, one that is briefly swamped gets a
/// moment, and one that is really down still fails within a third of a second. (Three back-to-back attempts
/// left one of 1,000 GETs to <c>http.server</c> failed in a full, loaded CI run.) A plain loop rather than
/// a Polly pipeline: it wraps every proxied request, and the path without a failure must cost nothing.
/// </summary>
internal sealed class IdempotentRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly TimeSpan[] PausesBeforeRetry = [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt <= PausesBeforeRetry.Length && IsRetriable(request) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(PausesBeforeRetry[attempt - 1], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return base.Send(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt <= PausesBeforeRetry.Length && IsRetriable(request) && !cancellationToken.IsCancellationRequested)
            {
                cancellationToken.WaitHandle.WaitOne(PausesBeforeRetry[attempt - 1]);
            }
        }
    }

    /// <summary>GET, HEAD, OPTIONS and TRACE without a body, and not a websocket (or other) upgrade.</summary>
    private static bool IsRetriable(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace)
        && request.Content is null or { Headers.ContentLength: 0 }
        && request.Headers.Upgrade.Count == 0 && !request.Headers.Contains("Upgrade");
}
