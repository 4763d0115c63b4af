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

    /// <summary>Records activity now and when the returned scope ends; while it is open the server is not idle.</summary>
    public IDisposable BeginRequest(string serverName)
    {
        RecordActivity(serverName);
        var activity = Get(serverName);
        Interlocked.Increment(ref activity.InFlight);
        return new RequestScope(this, serverName, activity);
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

    private sealed class ServerActivity
    {
        public long LastTicks;
        public int InFlight;

        public void Touch(DateTimeOffset now) => Max(ref LastTicks, now.UtcTicks);
    }

    private sealed class RequestScope(ServerActivityTracker tracker, string serverName, ServerActivity activity) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                tracker.RecordActivity(serverName);
                Interlocked.Decrement(ref activity.InFlight);
            }
        }
    }
}
