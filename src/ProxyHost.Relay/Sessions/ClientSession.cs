using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using ProxyHost.Relay.Connections;
using ProxyHost.Relay.Metrics;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Rooms;

namespace ProxyHost.Relay.Sessions;

/// <summary>
/// One local y-websocket client in one document's room. Deliveries only queue; a client whose queue passes
/// its bound is closed with 1008 and a reason instead of slowing anyone else down.
/// </summary>
internal sealed partial class ClientSession : IRoomMember
{
    private readonly RelayHub _hub;
    private readonly string _documentId;
    private readonly ILogger _logger;
    private readonly BoundedFrameQueue _outbox;
    private readonly RelayConnection _connection;
    private readonly AwarenessClients _awareness = new();
    private int _fellBehind;

    public ClientSession(WebSocket socket, RelayHub hub, string documentId, ILogger logger)
    {
        _hub = hub;
        _documentId = documentId;
        _logger = logger;
        _outbox = new BoundedFrameQueue(hub.Options.ClientQueueFrames, hub.Options.ClientQueueBytes);
        _connection = new RelayConnection(socket, _outbox, hub.MemberConnectionSettings());
    }

    public bool EchoesAwareness => true;

    public void Deliver(ReadOnlyMemory<byte> message)
    {
        if (_connection.IsClosing || _outbox.TryEnqueue(message) || Interlocked.Exchange(ref _fellBehind, 1) == 1)
        {
            return;
        }
        var (frames, bytes) = (_outbox.Count, _outbox.Bytes);
        _outbox.Clear();
        _hub.Metrics.Dropped(_hub.Name, RelayMetrics.ClientTooSlow);
        Log.TooSlow(_logger, _hub.Name, _documentId, frames, bytes);
        _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, $"too slow: {frames} messages ({bytes} bytes) waiting");
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var room = _hub.Join(_documentId, this, requestState: true);
        try
        {
            await _connection.RunAsync(message =>
            {
                _awareness.Observe(message.Span);
                _hub.FromMember(room, this, message);
                return ValueTask.CompletedTask;
            }, reason => Log.Rejected(_logger, _hub.Name, _documentId, reason), stopping).ConfigureAwait(false);
        }
        finally
        {
            _hub.Leave(room, this, _awareness.EncodeRemoval());
        }
        var (status, reason) = _connection.CloseCause;
        Log.Closed(_logger, _hub.Name, _documentId, status, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.ClientSessionTooSlow, Level = LogLevel.Warning, Message = "Relay {Relay}: closing a client of '{Document}' that fell behind ({Frames} messages, {Bytes} bytes queued)")]
        public static partial void TooSlow(ILogger logger, string relay, string document, int frames, long bytes);

        [LoggerMessage(EventId = RelayEventIds.ClientSessionRejected, Level = LogLevel.Warning, Message = "Relay {Relay}: closing a client of '{Document}': {Reason}")]
        public static partial void Rejected(ILogger logger, string relay, string document, string reason);

        [LoggerMessage(EventId = RelayEventIds.ClientSessionClosed, Level = LogLevel.Debug, Message = "Relay {Relay}: a client of '{Document}' closed ({Status} {Reason})")]
        public static partial void Closed(ILogger logger, string relay, string document, WebSocketCloseStatus status, string reason);
    }
}
