using System.Net.WebSockets;

namespace ProxyHost.Relay.Connections;

/// <summary>
/// Runs one websocket for the relay: a send loop that drains its <see cref="BoundedFrameQueue"/> (the only
/// writer, so fan-out never waits on a socket) and a receive loop that hands whole binary messages on.
/// Every ending is a close frame with a status and reason when the socket still allows one; a peer that
/// does not finish the close handshake within the close timeout is aborted.
/// </summary>
internal sealed class RelayConnection(WebSocket socket, BoundedFrameQueue outbox, RelayConnectionSettings settings)
{
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _lock = new();
    private WebSocketCloseStatus _status = WebSocketCloseStatus.NormalClosure;
    private string _reason = "";
    private ITimer? _abortTimer;

    /// <summary>Set once an ending is requested; later requests do not change the status or reason.</summary>
    public bool IsClosing => _closing.IsCancellationRequested;

    public (WebSocketCloseStatus Status, string Reason) CloseCause
    {
        get
        {
            lock (_lock)
            {
                return (_status, _reason);
            }
        }
    }

    /// <summary>Stops sending queued frames and closes with <paramref name="status"/>; the first request wins.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        lock (_lock)
        {
            if (_closing.IsCancellationRequested)
            {
                return;
            }
            _status = status;
            _reason = reason;
            _abortTimer = settings.Time.CreateTimer(_ => socket.Abort(), null, settings.CloseTimeout, Timeout.InfiniteTimeSpan);
            _closing.Cancel();
        }
    }

    /// <summary>Runs until the connection ends; <paramref name="onMessage"/> gets each binary message in order.</summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, ValueTask> onMessage, Action<string> onRejected, CancellationToken stopping)
    {
        using var stopRegistration = stopping.Register(() => RequestClose(WebSocketCloseStatus.EndpointUnavailable, "relay shutting down"));
        var receive = ReceiveLoopAsync(onMessage, onRejected);
        await SendLoopAsync().ConfigureAwait(false);
        await receive.ConfigureAwait(false);
        lock (_lock)
        {
            _abortTimer?.Dispose();
        }
        _closing.Dispose();
    }

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, ValueTask> onMessage, Action<string> onRejected)
    {
        await Task.Yield();
        using var reader = new MessageReader(socket, settings.MaxMessageBytes);
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if (message.Kind == ReceivedKind.Close)
                {
                    RequestClose(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "");
                    return;
                }
                if (IsClosing)
                {
                    continue;
                }
                switch (message.Kind)
                {
                    case ReceivedKind.Binary:
                        settings.Received?.Invoke(message.Payload.Length);
                        await onMessage(message.Payload).ConfigureAwait(false);
                        break;
                    case ReceivedKind.Text:
                        Reject(onRejected, WebSocketCloseStatus.InvalidMessageType, "the relay carries binary Yjs messages only");
                        break;
                    default:
                        Reject(onRejected, WebSocketCloseStatus.MessageTooBig, $"a message exceeded {settings.MaxMessageBytes} bytes");
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, "connection lost");
        }
    }

    private void Reject(Action<string> onRejected, WebSocketCloseStatus status, string reason)
    {
        onRejected(reason);
        if (settings.CloseOnInvalidMessage)
        {
            RequestClose(status, reason);
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (await outbox.WaitToReadAsync(_closing.Token).ConfigureAwait(false))
            {
                while (!IsClosing && outbox.TryPeek(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
                    outbox.RemoveHead();
                    settings.Sent?.Invoke(frame.Length);
                }
            }
        }
        catch (OperationCanceledException) when (IsClosing)
        {
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, "connection lost");
            return;
        }

        var (status, reason) = CloseCause;
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}

/// <summary>Per-connection knobs and traffic callbacks for <see cref="RelayConnection"/>.</summary>
internal sealed record RelayConnectionSettings
{
    public required int MaxMessageBytes { get; init; }

    public required TimeSpan CloseTimeout { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Local clients are closed on a text or oversized message; the shared upstream only logs it.</summary>
    public bool CloseOnInvalidMessage { get; init; } = true;

    public Action<int>? Received { get; init; }

    public Action<int>? Sent { get; init; }
}
