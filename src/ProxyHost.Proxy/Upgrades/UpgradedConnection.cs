using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>One open upgrade request: what a stopping host closes, and aborts if it does not end in time.</summary>
internal sealed class UpgradedConnection(HttpContext context)
{
    public const WebSocketCloseStatus StoppingStatus = WebSocketCloseStatus.EndpointUnavailable;

    public const string StoppingReason = "ProxyHost is stopping";

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocketTunnelStream? _tunnel;

    /// <summary>Wraps the client's stream of a websocket YARP is about to tunnel.</summary>
    public Stream Tunnel(Stream clientStream) => _tunnel = new WebSocketTunnelStream(clientStream);

    /// <summary>
    /// A websocket YARP tunnels gets ProxyHost's 1001 close and the client's answer is awaited; other upgraded
    /// requests (ProxyHost's own websocket endpoints, which close themselves with 1001 on the same signal) are
    /// given the same time to end. Whatever is still open then is aborted.
    /// </summary>
    public async Task CloseAsync(CancellationToken timeout)
    {
        try
        {
            if (_tunnel is { } tunnel)
            {
                await tunnel.SendCloseAsync(StoppingStatus, StoppingReason, timeout).ConfigureAwait(false);
                await tunnel.ClientClosed.WaitAsync(timeout).ConfigureAwait(false);
            }
            else
            {
                await _ended.Task.WaitAsync(timeout).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        lock (_lock)
        {
            // After the request ended Kestrel may reuse the context, so it is only aborted while still running.
            if (!_ended.Task.IsCompleted)
            {
                context.Abort();
            }
        }
    }

    /// <summary>
    /// Called when the request ends while the host stops: a tunnel that ended because its backend went first
    /// still owes the client a close frame (nobody reads the client's answer any more, so it is not awaited).
    /// </summary>
    /// <param name="closeTimeout">Set while the host stops: the bound on the close.</param>
    public async Task EndAsync(CancellationToken? closeTimeout)
    {
        if (closeTimeout is { } timeout && _tunnel is { } tunnel)
        {
            try
            {
                await tunnel.SendCloseAsync(StoppingStatus, StoppingReason, timeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }
        lock (_lock)
        {
            _ended.TrySetResult();
        }
    }
}
