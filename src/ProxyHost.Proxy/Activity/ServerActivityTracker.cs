using System.Collections.Concurrent;
using ProxyHost.Catalog;

namespace ProxyHost.Proxy.Activity;

/// <summary>
/// When each server last saw proxied traffic, and how many requests are in flight to it. The
/// host-wide <see cref="LastActivity"/> (JupyterHub's "last_activity") only counts servers with
/// <c>update_last_activity: true</c>; per-server times and <see cref="LastTraffic"/> count everything.
/// </summary>
public sealed class ServerActivityTracker : IServerActivitySink
{
    private readonly ConcurrentDictionary<string, ServerActivity> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IServerProcessCatalog _catalog;
    private readonly TimeProvider _timeProvider;
    private long _lastActivityTicks;
    private long _lastTrafficTicks;

    public ServerActivityTracker(IServerProcessCatalog catalog, TimeProvider timeProvider)
    {
        _catalog = catalog;
        _timeProvider = timeProvider;
        Started = timeProvider.GetUtcNow();
    }

    /// <summary>When the tracker (and so the host) started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>The latest traffic to a server with <c>update_last_activity: true</c>, or null if none yet.</summary>
    public DateTimeOffset? LastActivity => FromTicks(Interlocked.Read(ref _lastActivityTicks));

    /// <summary>The latest proxied traffic to any server, or null if none yet.</summary>
    public DateTimeOffset? LastTraffic => FromTicks(Interlocked.Read(ref _lastTrafficTicks));

    /// <summary>Requests and connections to any server that have not finished yet.</summary>
    public int InFlight => _servers.Values.Sum(s => s.InFlight);

    public void RecordActivity(string serverName)
    {
        ArgumentNullException.ThrowIfNull(serverName);
        var now = _timeProvider.GetUtcNow();
        Get(serverName).Touch(now);
        Max(ref _lastTrafficTicks, now.UtcTicks);
        if (_catalog.Current.Find(serverName) is not { UpdateLastActivity: false })
        {
            Max(ref _lastActivityTicks, now.UtcTicks);
        }
    }

    /// <summary>
    /// Records activity now and when the returned scope is disposed (once); while it is open the server is not idle.
    /// A struct: every proxied request opens one.
    /// </summary>
    public RequestActivity BeginRequest(string serverName)
    {
        RecordActivity(serverName);
        var activity = Get(serverName);
        Interlocked.Increment(ref activity.InFlight);
        return new RequestActivity(this, serverName, activity);
    }

    /// <summary>The latest traffic to one server, or null if none yet.</summary>
    public DateTimeOffset? GetLastActivity(string serverName) =>
        _servers.TryGetValue(serverName, out var activity) ? FromTicks(Interlocked.Read(ref activity.LastTicks)) : null;

    /// <summary>Requests and connections to one server that have not finished yet.</summary>
    public int GetInFlight(string serverName) => _servers.TryGetValue(serverName, out var activity) ? Volatile.Read(ref activity.InFlight) : 0;

    private ServerActivity Get(string serverName) => _servers.GetOrAdd(serverName, static _ => new ServerActivity());

    private static DateTimeOffset? FromTicks(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static void Max(ref long location, long value)
    {
        var current = Interlocked.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }

    internal sealed class ServerActivity
    {
        public long LastTicks;
        public int InFlight;

        public void Touch(DateTimeOffset now) => Max(ref LastTicks, now.UtcTicks);
    }

    /// <summary>An open request to one server, from <see cref="BeginRequest"/>.</summary>
    public readonly struct RequestActivity : IDisposable
    {
        private readonly ServerActivityTracker _tracker;
        private readonly string _serverName;
        private readonly ServerActivity _activity;

        internal RequestActivity(ServerActivityTracker tracker, string serverName, ServerActivity activity) =>
            (_tracker, _serverName, _activity) = (tracker, serverName, activity);

        public void Dispose()
        {
            _tracker.RecordActivity(_serverName);
            Interlocked.Decrement(ref _activity.InFlight);
        }
    }
}
