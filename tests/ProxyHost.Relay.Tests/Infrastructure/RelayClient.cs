using System.Net.WebSockets;
using System.Threading.Channels;
using ProxyHost.Relay.Protocol;
using ProxyHost.Tests;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>A real <see cref="ClientWebSocket"/> with a receive loop, so tests read whole messages in order.</summary>
public sealed class RelayClient : IAsyncDisposable
{
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();
    private readonly TaskCompletionSource<(WebSocketCloseStatus? Status, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RelayClient(ClientWebSocket socket)
    {
        Socket = socket;
        _ = Task.Run(ReceiveLoopAsync);
    }

    public ClientWebSocket Socket { get; }

    public Task<(WebSocketCloseStatus? Status, string? Reason)> Closed => _closed.Task;

    public static async Task<RelayClient> ConnectAsync(Uri uri)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, TestTimeouts.DefaultToken()).DefaultTimeout();
        return new RelayClient(socket);
    }

    public Task SendAsync(byte[] message) =>
        Socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    /// <summary>The next message, fails after the default timeout.</summary>
    public async Task<byte[]> ReceiveAsync() => await _received.Reader.ReadAsync(TestTimeouts.DefaultToken()).AsTask().DefaultTimeout();

    /// <summary>
    /// Waits until the relay has put this client into a room where others already are: it then asks the joiner
    /// for its state. The handshake completes before the join, so a message sent in between would not reach it.
    /// </summary>
    public async Task JoinedAsync()
    {
        var first = await ReceiveAsync();
        if (!first.AsSpan().SequenceEqual(YMessages.RequestFullState.Span))
        {
            throw new InvalidOperationException($"the relay's first message to a joiner was not its state request but {Convert.ToHexString(first)}");
        }
    }

    /// <summary>The next message that is not one of the relay's own sync requests or empty sync answers.</summary>
    public async Task<byte[]> ReceiveDataAsync()
    {
        while (true)
        {
            var message = await ReceiveAsync();
            if (!IsRelayControl(message))
            {
                return message;
            }
        }
    }

    /// <summary>The relay's own state requests, empty sync answers and awareness queries.</summary>
    public static bool IsRelayControl(ReadOnlySpan<byte> message) =>
        message.SequenceEqual(YMessages.RequestFullState.Span) || message.SequenceEqual(YMessages.EmptySyncStep2.Span)
        || message.SequenceEqual(YMessages.QueryAwareness.Span);

    /// <summary>Whatever arrived so far, without waiting.</summary>
    public List<byte[]> Drain()
    {
        var messages = new List<byte[]>();
        while (_received.Reader.TryRead(out var message))
        {
            messages.Add(message);
        }
        return messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", TestTimeouts.DefaultToken());
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        Socket.Dispose();
    }

    private async Task ReceiveLoopAsync() => _closed.TrySetResult(await MessageLoop.RunAsync(Socket, _received.Writer));
}
