using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using ProxyHost.Relay.Connections;
using ProxyHost.Relay.Metrics;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Rooms;

namespace ProxyHost.Relay.Sessions;

/// <summary>
/// A multiplexed peer (another relay using this one as its upstream, or an ELVA service): one websocket,
/// identifier-prefixed frames, rooms joined by the first frame for each document (as ELVA's server did) and
/// left when the connection ends. A malformed frame is logged and skipped; it never closes the connection.
/// </summary>
internal sealed partial class MultiplexedSession
{
    private readonly RelayHub _hub;
    private readonly ILogger _logger;
    private readonly BoundedFrameQueue _outbox;
    private readonly RelayConnection _connection;
    private readonly ConcurrentDictionary<string, Membership> _memberships = new(StringComparer.Ordinal);

    public MultiplexedSession(WebSocket socket, RelayHub hub, ILogger logger)
    {
        _hub = hub;
        _logger = logger;
        // A multiplexed peer carries many documents, so it gets the upstream's larger bounds.
        _outbox = new BoundedFrameQueue(hub.Options.UpstreamQueueFrames, hub.Options.UpstreamQueueBytes);
        _connection = new RelayConnection(socket, _outbox, hub.MemberConnectionSettings());
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        Log.Opened(_logger, _hub.Name);
        try
        {
            await _connection.RunAsync(OnMessageAsync, reason => Log.Rejected(_logger, _hub.Name, reason), stopping).ConfigureAwait(false);
        }
        finally
        {
            foreach (var membership in _memberships.Values)
            {
                _hub.Leave(membership.Room, membership, membership.Awareness.EncodeRemoval());
            }
        }
        var (status, reason) = _connection.CloseCause;
        Log.Closed(_logger, _hub.Name, _memberships.Count, status, reason);
    }

    private ValueTask OnMessageAsync(ReadOnlyMemory<byte> frame)
    {
        if (IdentifierMessage.TryDecode(_hub.Options.Magic, frame, out var documentId, out var message) is { } problem)
        {
            Log.Rejected(_logger, _hub.Name, problem);
            return ValueTask.CompletedTask;
        }
        // Only the receive loop adds memberships, so a plain check-then-add is safe.
        if (!_memberships.TryGetValue(documentId, out var membership))
        {
            membership = new Membership(this, documentId);
            membership.Room = _hub.Join(documentId, membership, requestState: false);
            _memberships[documentId] = membership;
        }
        membership.Awareness.Observe(message.Span);
        _hub.FromMember(membership.Room, membership, message);
        return ValueTask.CompletedTask;
    }

    private void Send(string documentId, ReadOnlyMemory<byte> message)
    {
        if (_connection.IsClosing || _outbox.TryEnqueue(IdentifierMessage.Encode(_hub.Options.Magic, documentId, message.Span)))
        {
            return;
        }
        _hub.Metrics.Dropped(_hub.Name, RelayMetrics.ClientTooSlow);
        Log.TooSlow(_logger, _hub.Name, _outbox.Count, _outbox.Bytes);
        _outbox.Clear();
        _connection.RequestClose(WebSocketCloseStatus.PolicyViolation, "too slow: multiplexed queue full");
    }

    /// <summary>The peer's subscription to one document.</summary>
    private sealed class Membership(MultiplexedSession session, string documentId) : IRoomMember
    {
        public RelayRoom Room { get; set; } = null!;

        public bool EchoesAwareness => false;

        /// <summary>The awareness clients behind the peer in this document, removed when the peer goes away.</summary>
        public AwarenessClients Awareness { get; } = new();

        public void Deliver(ReadOnlyMemory<byte> message) => session.Send(documentId, message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.MultiplexedSessionOpened, Level = LogLevel.Information, Message = "Relay {Relay}: a multiplexed peer connected")]
        public static partial void Opened(ILogger logger, string relay);

        [LoggerMessage(EventId = RelayEventIds.MultiplexedSessionRejected, Level = LogLevel.Warning, Message = "Relay {Relay}: rejected a frame from a multiplexed peer: {Reason}")]
        public static partial void Rejected(ILogger logger, string relay, string reason);

        [LoggerMessage(EventId = RelayEventIds.MultiplexedSessionClosed, Level = LogLevel.Information, Message = "Relay {Relay}: a multiplexed peer with {Documents} document(s) closed ({Status} {Reason})")]
        public static partial void Closed(ILogger logger, string relay, int documents, WebSocketCloseStatus status, string reason);

        [LoggerMessage(EventId = RelayEventIds.MultiplexedSessionTooSlow, Level = LogLevel.Warning, Message = "Relay {Relay}: closing a multiplexed peer that fell behind ({Frames} frames, {Bytes} bytes queued)")]
        public static partial void TooSlow(ILogger logger, string relay, int frames, long bytes);
    }
}
