using System.Net.Http;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Sends an idempotent request without a body again when its backend connection failed before any
/// response came back, e.g. the backend closed an idle keep-alive connection just as the request went out,
/// or Python's <c>http.server</c> dropped a connection from its tiny listen queue (SocketsHttpHandler resends
/// such requests itself only on a reused connection). At most three attempts, so a backend that is really
/// down still fails fast (under 200 concurrent GETs to <c>http.server</c>, two attempts still left 2–4 of
/// 600 requests failed; three left none in three runs). A plain loop rather than a Polly pipeline: it wraps
/// every proxied request, and the path without a failure must cost nothing.
/// </summary>
internal sealed class IdempotentRetryHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxAttempts = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts && IsRetriable(request) && !cancellationToken.IsCancellationRequested)
            {
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
            catch (HttpRequestException) when (attempt < MaxAttempts && IsRetriable(request) && !cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>GET, HEAD, OPTIONS and TRACE without a body, and not a websocket (or other) upgrade.</summary>
    private static bool IsRetriable(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Trace)
        && request.Content is null or { Headers.ContentLength: 0 }
        && request.Headers.Upgrade.Count == 0 && !request.Headers.Contains("Upgrade");
}
