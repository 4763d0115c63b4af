using System.Net;
using System.Net.Sockets;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Readiness;

/// <summary>
/// GET / over TCP or the Unix socket, as jupyter-server-proxy does: any HTTP response of any status
/// means ready, a connection error means not yet. Redirects are not followed. A server's
/// <c>ready_check_path</c> and <c>ready_status</c> change the path and which statuses count.
/// </summary>
internal sealed class HttpReadinessProbe : IReadinessProbe, IDisposable
{
    private readonly HttpMessageInvoker _client;

    public HttpReadinessProbe()
    {
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
        });
    }

    /// <summary>The longest one attempt may take (jupyter-server-proxy uses 5 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public ValueTask<bool> ProbeAsync(ServerEndpoint endpoint, CancellationToken cancellationToken) =>
        ProbeAsync(endpoint, "/", [], cancellationToken);

    /// <summary>
    /// GET <paramref name="path"/>; ready when the status matches <paramref name="readyStatus"/> (see
    /// <see cref="ReadyStatus"/>; empty means any status).
    /// </summary>
    public async ValueTask<bool> ProbeAsync(ServerEndpoint endpoint, string path, IReadOnlyList<string> readyStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(readyStatus);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint.HttpOrigin + path);
        request.Headers.ConnectionClose = true;
        endpoint.RouteOver(request);
        try
        {
            using var response = await _client.SendAsync(request, attempt.Token).ConfigureAwait(false);
            return ReadyStatus.Matches(readyStatus, (int)response.StatusCode);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public void Dispose() => _client.Dispose();

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        new NetworkStream(await ServerEndpoint.ConnectAsync(ServerEndpoint.ConnectTarget(context), cancellationToken).ConfigureAwait(false), ownsSocket: true);
}
