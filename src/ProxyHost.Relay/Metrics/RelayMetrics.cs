using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProxyHost.Relay.Rooms;

namespace ProxyHost.Relay.Metrics;

/// <summary>
/// The relay's instruments, on the same <c>ProxyHost</c> meter as the proxy's (so the built-in
/// Prometheus page, OpenTelemetry and dotnet-counters show them together).
/// </summary>
public sealed class RelayMetrics
{
    /// <summary>The meter name ProxyHost.Proxy's metrics use too.</summary>
    public const string MeterName = "ProxyHost";

    public const string FromClients = "from_clients";
    public const string ToClients = "to_clients";
    public const string FromUpstream = "from_upstream";
    public const string ToUpstream = "to_upstream";

    public const string UpstreamQueueFull = "upstream_queue_full";
    public const string BadUpstreamFrame = "bad_upstream_frame";
    public const string NoRoom = "no_room";
    public const string ClientTooSlow = "client_too_slow";

    private readonly Counter<long> _frames;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _connects;
    private readonly Lock _lock = new();
    private IReadOnlyList<RelayHub> _hubs = [];

    public RelayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _frames = meter.CreateCounter<long>("proxyhost.relay.frames", "{frame}", "Relay messages by relay and direction (from_clients, to_clients, from_upstream, to_upstream)");
        _bytes = meter.CreateCounter<long>("proxyhost.relay.bytes", "By", "Relay message bytes by relay and direction");
        _dropped = meter.CreateCounter<long>("proxyhost.relay.dropped", "{frame}", "Relay messages dropped or clients closed, by reason");
        _connects = meter.CreateCounter<long>("proxyhost.relay.upstream.connects", "{connect}", "Successful upstream connections (the first and every reconnect)");
        meter.CreateObservableGauge("proxyhost.relay.rooms", () => Observe(h => [new(h.Rooms.Count, Tag(h))]), "{room}", "Documents with at least one member, by relay");
        meter.CreateObservableGauge("proxyhost.relay.room.clients", () => Observe(h => h.Rooms.Select(r =>
            new Measurement<long>(r.Members.Count, Tag(h), new("document", r.DocumentId)))), "{client}", "Members (clients and multiplexed peers) per document");
        meter.CreateObservableGauge("proxyhost.relay.upstream.connected", () => Observe(h => h.Upstream is { } u ? [new(u.IsConnected ? 1 : 0, Tag(h))] : []),
            "{connection}", "1 while the relay's upstream websocket is open, 0 while it reconnects");
        meter.CreateObservableGauge("proxyhost.relay.upstream.queued", () => Observe(h => h.Upstream is { } u ? [new(u.QueuedFrames, Tag(h))] : []),
            "{frame}", "Frames waiting for the upstream");
    }

    internal void Track(IReadOnlyList<RelayHub> hubs)
    {
        lock (_lock)
        {
            _hubs = [.. _hubs, .. hubs];
        }
    }

    internal void Traffic(string relay, string direction, int bytes)
    {
        var tags = new TagList { { "relay", relay }, { "direction", direction } };
        _frames.Add(1, tags);
        _bytes.Add(bytes, tags);
    }

    internal void Dropped(string relay, string reason, int count = 1) =>
        _dropped.Add(count, new KeyValuePair<string, object?>("relay", relay), new("reason", reason));

    internal void UpstreamConnected(string relay) => _connects.Add(1, new KeyValuePair<string, object?>("relay", relay));

    private static KeyValuePair<string, object?> Tag(RelayHub hub) => new("relay", hub.Name);

    private IEnumerable<Measurement<long>> Observe(Func<RelayHub, IEnumerable<Measurement<long>>> measure)
    {
        IReadOnlyList<RelayHub> hubs;
        lock (_lock)
        {
            hubs = _hubs;
        }
        return hubs.SelectMany(measure).ToList();
    }
}
