using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Polly;
using ProxyHost.Configuration;
using ProxyHost.Relay.Connections;
using ProxyHost.Relay.Metrics;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Rooms;

namespace ProxyHost.Relay.Upstream;

/// <summary>
/// The relay's one multiplexed websocket to its upstream. Frames for it wait in a bounded queue that
/// outlives connections, so what is sent during an outage is delivered after the reconnect (overflow is
/// logged and counted). Each (re)connect re-syncs every room: the relay sends upstream a sync step 1 with
/// an empty state vector per room (the upstream's peers answer with their full state) and asks every local
/// member for its full state the same way (their answers travel upstream), so neither side misses what
/// happened while they were apart, without the relay keeping any Y document.
/// </summary>
internal sealed partial class UpstreamLink
{
    private readonly RelayHub _hub;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RelayTuning _tuning;
    private readonly TimeProvider _time;
    private readonly BoundedFrameQueue _queue;
    private readonly UpstreamConnector _connector;
    private readonly ResiliencePipeline _connectPipeline;
    private int _droppedSinceConnect;
    private volatile bool _connected;

    public UpstreamLink(RelayHub hub, RelayMetrics metrics, ILogger<UpstreamLink> logger, RelayTuning tuning, TimeProvider time)
    {
        _hub = hub;
        _metrics = metrics;
        _logger = logger;
        _tuning = tuning;
        _time = time;
        _queue = new BoundedFrameQueue(hub.Options.UpstreamQueueFrames, hub.Options.UpstreamQueueBytes);
        _connector = new UpstreamConnector(hub.Name, hub.InstanceId, hub.Options, logger);
        _connectPipeline = UpstreamPipeline.Create(hub.Name, hub.Options, tuning, time, logger);
    }

    public bool IsConnected => _connected;

    public int QueuedFrames => _queue.Count;

    /// <summary>Queues a Y message for the upstream, prefixed with its document id.</summary>
    public void Send(string documentId, ReadOnlyMemory<byte> message)
    {
        if (_queue.TryEnqueue(IdentifierMessage.Encode(_hub.Options.Magic, documentId, message.Span)))
        {
            return;
        }
        _metrics.Dropped(_hub.Name, RelayMetrics.UpstreamQueueFull);
        if (Interlocked.Increment(ref _droppedSinceConnect) == 1)
        {
            Log.QueueFull(_logger, _hub.Name, _queue.Count, _queue.Bytes);
        }
    }

    /// <summary>Connects, serves and reconnects until <paramref name="stopping"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ClientWebSocket socket;
            try
            {
                socket = await _connectPipeline.ExecuteAsync(_connector.ConnectAsync, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            using (socket)
            {
                await ServeAsync(socket, stopping).ConfigureAwait(false);
            }
            try
            {
                // A connection that ends at once must not turn into a tight reconnect loop.
                await Task.Delay(_tuning.ReconnectBaseDelay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ServeAsync(ClientWebSocket socket, CancellationToken stopping)
    {
        var dropped = Interlocked.Exchange(ref _droppedSinceConnect, 0);
        // Without the query: it may carry a token.
        Log.Connected(_logger, _hub.Name, _hub.Options.Upstream!.GetLeftPart(UriPartial.Path), _queue.Count, dropped);
        _metrics.UpstreamConnected(_hub.Name);
        var connection = new RelayConnection(socket, _queue, new RelayConnectionSettings
        {
            MaxMessageBytes = _hub.Options.MaxMessageBytes,
            CloseTimeout = _tuning.CloseTimeout,
            Time = _time,
            CloseOnInvalidMessage = false,
            Received = bytes => _metrics.Traffic(_hub.Name, RelayMetrics.FromUpstream, bytes),
            Sent = bytes => _metrics.Traffic(_hub.Name, RelayMetrics.ToUpstream, bytes),
        });
        try
        {
            await ResyncAsync(socket).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            Log.Lost(_logger, _hub.Name, "the re-sync send failed: " + e.Message);
            return;
        }
        _connected = true;
        try
        {
            await connection.RunAsync(OnMessageAsync, reason => Reject(reason), stopping).ConfigureAwait(false);
        }
        finally
        {
            _connected = false;
        }
        var (status, reason) = connection.CloseCause;
        Log.Lost(_logger, _hub.Name, $"{status} {reason}".Trim());
    }

    private async Task ResyncAsync(ClientWebSocket socket)
    {
        var rooms = _hub.Rooms.ToList();
        foreach (var room in rooms)
        {
            // Sent directly, ahead of the queue: a queue filled during the outage must not crowd these out.
            var frame = IdentifierMessage.Encode(_hub.Options.Magic, room.DocumentId, YMessages.RequestFullState.Span);
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
            _metrics.Traffic(_hub.Name, RelayMetrics.ToUpstream, frame.Length);
            room.Broadcast(YMessages.RequestFullState, sender: null);
        }
        Log.Resynced(_logger, _hub.Name, rooms.Count);
    }

    private ValueTask OnMessageAsync(ReadOnlyMemory<byte> frame)
    {
        if (IdentifierMessage.TryDecode(_hub.Options.Magic, frame, out var documentId, out var message) is { } problem)
        {
            Reject(problem);
        }
        else
        {
            _hub.FromUpstream(documentId, message);
        }
        return ValueTask.CompletedTask;
    }

    private void Reject(string reason)
    {
        _metrics.Dropped(_hub.Name, RelayMetrics.BadUpstreamFrame);
        Log.BadFrame(_logger, _hub.Name, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.UpstreamConnected, Level = LogLevel.Information, Message = "Relay {Relay}: connected to upstream {Upstream}; {Queued} queued frame(s) to flush, {Dropped} dropped while disconnected")]
        public static partial void Connected(ILogger logger, string relay, string upstream, int queued, int dropped);

        [LoggerMessage(EventId = RelayEventIds.UpstreamLost, Level = LogLevel.Warning, Message = "Relay {Relay}: upstream connection ended ({Cause}); reconnecting")]
        public static partial void Lost(ILogger logger, string relay, string cause);

        [LoggerMessage(EventId = RelayEventIds.UpstreamBadFrame, Level = LogLevel.Warning, Message = "Relay {Relay}: rejected a frame from the upstream: {Reason}")]
        public static partial void BadFrame(ILogger logger, string relay, string reason);

        [LoggerMessage(EventId = RelayEventIds.UpstreamQueueFull, Level = LogLevel.Warning, Message = "Relay {Relay}: the upstream queue is full ({Frames} frames, {Bytes} bytes); dropping frames for it until it drains (the next re-sync recovers them)")]
        public static partial void QueueFull(ILogger logger, string relay, int frames, long bytes);

        [LoggerMessage(EventId = RelayEventIds.UpstreamResynced, Level = LogLevel.Debug, Message = "Relay {Relay}: re-synced {Rooms} room(s) with the upstream")]
        public static partial void Resynced(ILogger logger, string relay, int rooms);
    }
}
