using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// One client's websocket: a receive loop that assembles and checks frames, a send loop draining a
/// bounded queue (the only code that writes to the socket, so sends and the close never overlap),
/// and a dispatch loop that runs the handlers, so a slow handler never stalls the socket.
/// </summary>
internal sealed class MessagingConnection
{
    /// <summary>How long a close handshake may take before the socket is aborted.</summary>
    internal static TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly MessagingHub _hub;
    private readonly Channel<OutgoingMessage> _outbound;
    private readonly Channel<ReceivedMessage> _inbound;
    private readonly CancellationTokenSource _abort = new();
    private CloseRequest? _closeRequest;
    private ulong _nextId;

    public MessagingConnection(string id, string? remoteAddress, WebSocket socket, MessagingHub hub)
    {
        Id = id;
        RemoteAddress = remoteAddress;
        _socket = socket;
        _hub = hub;
        _outbound = Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(hub.Options.SendQueueCapacity) { SingleReader = true });
        _inbound = Channel.CreateBounded<ReceivedMessage>(new BoundedChannelOptions(hub.Options.ReceiveQueueCapacity) { SingleReader = true, SingleWriter = true });
    }

    public string Id { get; }

    public string? RemoteAddress { get; }

    /// <summary>How the connection ended, once it has.</summary>
    public ClientEvent? Closed { get; private set; }

    /// <summary>Queues a message without waiting; a full queue disconnects the client (it is too slow).</summary>
    public bool TryEnqueue(OutgoingMessage message)
    {
        if (_outbound.Writer.TryWrite(message))
        {
            return true;
        }
        if (_closeRequest is null)
        {
            _hub.Log.SendQueueFull(Id, _hub.Options.SendQueueCapacity);
            RequestClose(MessagingCloseStatus.SendQueueFull, MessagingCloseStatus.SendQueueFullReason);
        }
        return false;
    }

    /// <summary>Ends the connection with a close frame, within <see cref="CloseGrace"/>.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(status, reason), null);
        _outbound.Writer.TryComplete();
        try
        {
            _abort.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs until the websocket is closed; the returned task completes after the last handler call.</summary>
    public async Task RunAsync()
    {
        var sending = Task.Run(SendLoopAsync);
        var dispatching = Task.Run(DispatchLoopAsync);
        WebSocketCloseStatus? status = null;
        string? reason = null;
        try
        {
            (status, reason) = await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            status = _closeRequest?.Status;
            reason = _closeRequest?.Reason ?? e.Message;
        }
        finally
        {
            _inbound.Writer.TryComplete();
            RequestClose(status ?? WebSocketCloseStatus.NormalClosure, reason ?? "");
        }
        await sending.ConfigureAwait(false);
        Closed = new ClientEvent(Id, RemoteAddress, _closeRequest?.Status ?? status, _closeRequest?.Reason ?? reason);
        await dispatching.ConfigureAwait(false);
        _abort.Dispose();
    }

    private async Task<(WebSocketCloseStatus?, string?)> ReceiveLoopAsync()
    {
        var limit = _hub.Options.MaxMessageSize;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit, 16 * 1024));
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                var room = Math.Min(limit + 1 - buffer.WrittenCount, 64 * 1024);
                result = await _socket.ReceiveAsync(buffer.GetMemory(room)[..room], _abort.Token).ConfigureAwait(false);
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && buffer.WrittenCount <= limit);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (_socket.CloseStatus, _socket.CloseStatusDescription);
            }
            if (buffer.WrittenCount > limit)
            {
                _hub.Log.FrameRejected(Id, FrameError.TooLarge, $"a websocket message exceeded max_message_size ({limit} bytes); closing");
                RequestClose(MessagingCloseStatus.MessageTooBig, $"message larger than {limit} bytes");
                return (MessagingCloseStatus.MessageTooBig, null);
            }
            if (result.MessageType == WebSocketMessageType.Text)
            {
                _hub.Log.FrameRejected(Id, FrameError.TextFrame, "text websocket messages are not part of the protocol; dropped");
                continue;
            }
            if (Decode(buffer.WrittenSpan) is { } message)
            {
                await _inbound.Writer.WriteAsync(message, _abort.Token).ConfigureAwait(false);
            }
            if (buffer.Capacity > 1024 * 1024)
            {
                buffer = new ArrayBufferWriter<byte>(16 * 1024);
            }
        }
    }

    private ReceivedMessage? Decode(ReadOnlySpan<byte> frame)
    {
        var error = MessageFrame.TryDecode(frame, out var header);
        if (error != FrameError.None)
        {
            _hub.Log.FrameRejected(Id, error, Describe(error, frame));
            return null;
        }
        return new ReceivedMessage
        {
            ClientId = Id,
            Hub = _hub,
            Type = header.Type,
            Id = header.Id,
            Timestamp = header.Timestamp,
            Metadata = header.Metadata.ToString(),
            Payload = frame[MessageHeader.Size..].ToArray(),
        };
    }

    private static string Describe(FrameError error, ReadOnlySpan<byte> frame) => error switch
    {
        FrameError.TooShort => $"{frame.Length} bytes is not more than the {MessageHeader.Size}-byte header; dropped",
        FrameError.BadMagic => $"magic is {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame[16..])}, not {MessageHeader.Magic}; dropped",
        FrameError.UnknownType => $"type {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame[18..])} is not 0-5; dropped",
        FrameError.SizeMismatch => $"header says {System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame[20..])} payload bytes, {frame.Length - MessageHeader.Size} follow; dropped",
        _ => error.ToString(),
    };

    private async Task SendLoopAsync()
    {
        var header = new byte[MessageHeader.Size];
        try
        {
            var reader = _outbound.Reader;
            while (_closeRequest is null && await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                while (_closeRequest is null && reader.TryRead(out var message))
                {
                    MessageFrame.WriteHeader(new MessageHeader(_nextId, message.Timestamp, message.Type, (uint)message.Payload.Length, message.Metadata), header);
                    var empty = message.Payload.IsEmpty;
                    await _socket.SendAsync(header, WebSocketMessageType.Binary, empty, _abort.Token).ConfigureAwait(false);
                    if (!empty)
                    {
                        await _socket.SendAsync(message.Payload, WebSocketMessageType.Binary, true, _abort.Token).ConfigureAwait(false);
                    }
                    _nextId++;
                }
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var close = _closeRequest ?? new CloseRequest(WebSocketCloseStatus.NormalClosure, "");
                await _socket.CloseOutputAsync(close.Status, close.Reason, _abort.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    private async Task DispatchLoopAsync()
    {
        await foreach (var message in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _hub.DispatchAsync(message).ConfigureAwait(false);
        }
    }

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
}
