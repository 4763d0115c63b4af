using System.Net.Sockets;
using System.Net.WebSockets;

namespace ProxyHost.Proxy.RawSockets;

/// <summary>How a bridged connection ended, for the log.</summary>
internal enum RawSocketEnd
{
    ClientClosed,
    ClientGone,
    BackendClosed,
    BackendFailed,
    IdleTimeout,
    InvalidData,
    MessageTooBig,
    HostStopping,
}

/// <summary>
/// One accepted websocket bridged to one backend socket: runs both pumps, notices which side ended
/// first (or that nothing moved for the idle timeout), and closes the other side with a code that says so.
/// </summary>
internal sealed class RawSocketSession(
    WebSocket webSocket, Socket backend, RawSocketEncoding encoding, Action onMessage, TimeSpan? idleTimeout, long maxMessageSize, TimeProvider time)
{
    /// <summary>How long to wait for the client's close frame after ProxyHost sent its own.</summary>
    internal static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <param name="aborted">The client connection is gone.</param>
    /// <param name="stopping">ProxyHost is stopping: close the websocket with 1001 rather than drop it.</param>
    public async Task<RawSocketEnd> RunAsync(CancellationToken aborted, CancellationToken stopping)
    {
        await using var stream = new NetworkStream(backend, ownsSocket: false);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var idleFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var idleRegistration = idle.Token.Register(() => idleFired.TrySetResult());
        var stoppingFired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stoppingRegistration = stopping.Register(() => stoppingFired.TrySetResult());

        void Touch()
        {
            if (idleTimeout is { } timeout)
            {
                idle.CancelAfter(timeout);
            }
            onMessage();
        }

        if (idleTimeout is { } timeout)
        {
            idle.CancelAfter(timeout);
        }
        var fromClient = RawSocketPumps.ClientToBackendAsync(webSocket, stream, encoding, maxMessageSize, Touch, aborted);
        var fromBackend = RawSocketPumps.BackendToClientAsync(stream, webSocket, encoding, Touch, aborted);
        var first = await Task.WhenAny(fromClient, fromBackend, idleFired.Task, stoppingFired.Task).ConfigureAwait(false);

        if (first == fromClient)
        {
            var clientEnd = await fromClient.ConfigureAwait(false);
            ShutdownBackend();
            if (clientEnd is RawSocketPumps.ClientEnd.InvalidBase64 or RawSocketPumps.ClientEnd.MessageTooBig)
            {
                var tooBig = clientEnd == RawSocketPumps.ClientEnd.MessageTooBig;
                await CloseAsync(
                    tooBig ? RawSocketCloseStatus.MessageTooBig : RawSocketCloseStatus.InvalidBase64,
                    tooBig ? RawSocketCloseStatus.MessageTooBigReason : RawSocketCloseStatus.InvalidBase64Reason,
                    fromClient).ConfigureAwait(false);
                await fromBackend.ConfigureAwait(false);
                return tooBig ? RawSocketEnd.MessageTooBig : RawSocketEnd.InvalidData;
            }
            if (clientEnd == RawSocketPumps.ClientEnd.Closed)
            {
                await CompleteClientCloseAsync().ConfigureAwait(false);
            }
            await fromBackend.ConfigureAwait(false);
            return clientEnd == RawSocketPumps.ClientEnd.Closed ? RawSocketEnd.ClientClosed : RawSocketEnd.ClientGone;
        }

        if (first == fromBackend)
        {
            var backendEnd = await fromBackend.ConfigureAwait(false);
            ShutdownBackend();
            var end = backendEnd switch
            {
                RawSocketPumps.BackendEnd.Closed => RawSocketEnd.BackendClosed,
                RawSocketPumps.BackendEnd.Failed => RawSocketEnd.BackendFailed,
                _ => RawSocketEnd.ClientGone,
            };
            if (end == RawSocketEnd.BackendClosed)
            {
                await CloseAsync(RawSocketCloseStatus.BackendClosed, RawSocketCloseStatus.BackendClosedReason, fromClient).ConfigureAwait(false);
            }
            else if (end == RawSocketEnd.BackendFailed)
            {
                await CloseAsync(RawSocketCloseStatus.BackendFailed, RawSocketCloseStatus.BackendFailedReason, fromClient).ConfigureAwait(false);
            }
            await fromClient.ConfigureAwait(false);
            return end;
        }

        ShutdownBackend();
        var idled = first == idleFired.Task;
        await CloseAsync(
            idled ? RawSocketCloseStatus.IdleTimeout : RawSocketCloseStatus.HostStopping,
            idled ? RawSocketCloseStatus.IdleTimeoutReason : RawSocketCloseStatus.HostStoppingReason,
            fromClient).ConfigureAwait(false);
        await Task.WhenAll(fromClient, fromBackend).ConfigureAwait(false);
        return idled ? RawSocketEnd.IdleTimeout : RawSocketEnd.HostStopping;
    }

    /// <summary>Sends ProxyHost's close, then waits (bounded) for the client's; a client that never answers is aborted.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string reason, Task clientPump)
    {
        using var bound = new CancellationTokenSource(CloseHandshakeTimeout, time);
        try
        {
            if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await webSocket.CloseOutputAsync(status, reason, bound.Token).ConfigureAwait(false);
            }
            await clientPump.WaitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
            webSocket.Abort();
        }
    }

    /// <summary>Answers a client's close with the client's own code, completing the handshake.</summary>
    private async Task CompleteClientCloseAsync()
    {
        using var bound = new CancellationTokenSource(CloseHandshakeTimeout, time);
        try
        {
            if (webSocket.State == WebSocketState.CloseReceived)
            {
                await webSocket.CloseOutputAsync(
                    webSocket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, webSocket.CloseStatusDescription, bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            webSocket.Abort();
        }
    }

    /// <summary>Ends the backend side: end-of-stream for the service, and any pending read or write returns.</summary>
    private void ShutdownBackend()
    {
        try
        {
            backend.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        backend.Close();
    }
}
