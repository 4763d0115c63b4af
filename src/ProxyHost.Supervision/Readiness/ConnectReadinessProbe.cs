using System.Net.Sockets;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Readiness;

/// <summary>Ready when a plain TCP or Unix-socket connect succeeds; for raw-socket servers that speak no HTTP.</summary>
internal sealed class ConnectReadinessProbe : IReadinessProbe
{
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> ProbeAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            using var socket = await endpoint.ConnectAsync(attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
