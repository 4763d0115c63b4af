using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Relay.Connections;
using ProxyHost.Relay.Metrics;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Upstream;

namespace ProxyHost.Relay.Rooms;

/// <summary>
/// One named relay: its rooms (documents with at least one member) and, when configured, its shared
/// upstream link. The relay holds no Y document; it routes frames and asks peers for state instead:
/// a joining client is asked for its full state (sync step 1 with an empty state vector) so the others
/// get what it had offline, and a sync step 1 nobody else can answer gets an empty sync step 2, which is
/// what makes a y-websocket client "synced" when it is alone. Joins also ask the others for their
/// awareness (y-websocket's query-awareness), so cursors and names show up at once.
/// </summary>
internal sealed partial class RelayHub
{
    public const string InstanceHeader = "ProxyHost-Relay-Instance";

    private readonly ConcurrentDictionary<string, RelayRoom> _rooms = new(StringComparer.Ordinal);
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RelayTuning _tuning;
    private readonly TimeProvider _time;

    public RelayHub(RelayDefinition definition, RelayMetrics metrics, ILoggerFactory loggers, RelayTuning tuning, TimeProvider time)
    {
        Name = definition.Name;
        Options = definition.Options;
        _metrics = metrics;
        _logger = loggers.CreateLogger<RelayHub>();
        _tuning = tuning;
        _time = time;
        if (Options.Upstream is not null)
        {
            Upstream = new UpstreamLink(this, metrics, loggers.CreateLogger<UpstreamLink>(), tuning, time);
        }
    }

    public string Name { get; }

    /// <summary>Sent to the upstream as <see cref="InstanceHeader"/>, so a relay configured as its own upstream is refused instead of echoing forever.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public RelayOptions Options { get; }

    public UpstreamLink? Upstream { get; }

    public ICollection<RelayRoom> Rooms => _rooms.Values;

    public RelayMetrics Metrics => _metrics;

    /// <summary>Connection settings for a room member's websocket (a local client or a multiplexed peer).</summary>
    public RelayConnectionSettings MemberConnectionSettings() => new()
    {
        MaxMessageBytes = Options.MaxMessageBytes,
        CloseTimeout = _tuning.CloseTimeout,
        Time = _time,
        Received = bytes => _metrics.Traffic(Name, RelayMetrics.FromClients, bytes),
        Sent = bytes => _metrics.Traffic(Name, RelayMetrics.ToClients, bytes),
    };

    /// <summary>Adds <paramref name="member"/> to the document's room, creating it when needed.</summary>
    /// <param name="requestState">Ask the member for its full state (local y-websocket clients).</param>
    public RelayRoom Join(string documentId, IRoomMember member, bool requestState)
    {
        while (true)
        {
            var room = _rooms.GetOrAdd(documentId, static id => new RelayRoom(id));
            if (room.TryAdd(member))
            {
                Log.Joined(_logger, Name, documentId, room.Members.Count);
                if (room.Members.Count > 1 || Upstream is not null)
                {
                    if (requestState)
                    {
                        member.Deliver(YMessages.RequestFullState);
                    }
                    // The others announce who they are (cursors, names) to the newcomer.
                    room.Broadcast(YMessages.QueryAwareness, member);
                    if (Options.UpstreamQueryAwareness)
                    {
                        Upstream?.Send(documentId, YMessages.QueryAwareness);
                    }
                }
                return room;
            }
            // The room emptied between the lookup and the add: drop the stale entry and make a new one.
            _rooms.TryRemove(KeyValuePair.Create(documentId, room));
        }
    }

    /// <param name="farewell">A message for the remaining members and the upstream (the leaver's awareness removal), if any.</param>
    public void Leave(RelayRoom room, IRoomMember member, byte[]? farewell = null)
    {
        if (farewell is not null)
        {
            room.Broadcast(farewell, member);
            Upstream?.Send(room.DocumentId, farewell);
        }
        if (room.Remove(member))
        {
            _rooms.TryRemove(KeyValuePair.Create(room.DocumentId, room));
        }
        Log.Left(_logger, Name, room.DocumentId, room.Members.Count);
    }

    /// <summary>A Y message from a room member: to the others, and upstream.</summary>
    public void FromMember(RelayRoom room, IRoomMember sender, ReadOnlyMemory<byte> message)
    {
        var delivered = room.Broadcast(message, sender);
        Upstream?.Send(room.DocumentId, message);
        if (sender.EchoesAwareness && YMessages.IsAwareness(message.Span))
        {
            sender.Deliver(message);
        }
        if (delivered == 0 && Upstream?.IsConnected != true && YMessages.IsSyncStep1(message.Span))
        {
            sender.Deliver(YMessages.EmptySyncStep2);
        }
    }

    /// <summary>A Y message the upstream sent for <paramref name="documentId"/>: to every member of that room.</summary>
    public void FromUpstream(string documentId, ReadOnlyMemory<byte> message)
    {
        if (!_rooms.TryGetValue(documentId, out var room))
        {
            _metrics.Dropped(Name, RelayMetrics.NoRoom);
            Log.NoRoom(_logger, Name, documentId);
            return;
        }
        room.Broadcast(message, sender: null);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.RoomJoined, Level = LogLevel.Debug, Message = "Relay {Relay}: a member joined '{Document}' ({Count} now)")]
        public static partial void Joined(ILogger logger, string relay, string document, int count);

        [LoggerMessage(EventId = RelayEventIds.RoomLeft, Level = LogLevel.Debug, Message = "Relay {Relay}: a member left '{Document}' ({Count} left)")]
        public static partial void Left(ILogger logger, string relay, string document, int count);

        [LoggerMessage(EventId = RelayEventIds.NoRoom, Level = LogLevel.Debug, Message = "Relay {Relay}: dropped an upstream frame for '{Document}', which has no local members")]
        public static partial void NoRoom(ILogger logger, string relay, string document);
    }
}
