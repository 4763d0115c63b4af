using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>
/// Holds the latest snapshot of every server and pushes each new one to watchers. Each watcher has a
/// bounded queue; a watcher that falls behind loses its oldest queued snapshots, never the newest.
/// </summary>
internal sealed class ServerStateNotifier
{
    /// <summary>Snapshots queued per watcher before the oldest are dropped.</summary>
    public const int WatcherCapacity = 1024;

    private readonly Lock _lock = new();
    private readonly OrderedDictionary<string, ServerProcessSnapshot> _current = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ChannelWriter<ServerProcessSnapshot>> _watchers = [];

    /// <summary>Stores <paramref name="snapshot"/> with the server's next version and notifies watchers.</summary>
    /// <returns>The stored snapshot (with its version).</returns>
    public ServerProcessSnapshot Publish(ServerProcessSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            var version = _current.TryGetValue(snapshot.Name, out var previous) ? previous.Version + 1 : Math.Max(1, snapshot.Version);
            var stored = snapshot with { Version = Math.Max(version, snapshot.Version) };
            _current[snapshot.Name] = stored;
            foreach (var watcher in _watchers)
            {
                watcher.TryWrite(stored);
            }
            return stored;
        }
    }

    /// <summary>Forgets a removed server (watchers saw its last snapshot already).</summary>
    public void Remove(string name)
    {
        lock (_lock)
        {
            _current.Remove(name);
        }
    }

    public ServerProcessSnapshot? Get(string name)
    {
        lock (_lock)
        {
            return _current.GetValueOrDefault(name);
        }
    }

    /// <summary>Every current snapshot, then each published one, until cancelled. No polling.</summary>
    public async IAsyncEnumerable<ServerProcessSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ServerProcessSnapshot>(new BoundedChannelOptions(WatcherCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_lock)
        {
            foreach (var snapshot in _current.Values)
            {
                channel.Writer.TryWrite(snapshot);
            }
            _watchers.Add(channel.Writer);
        }
        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return snapshot;
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(channel.Writer);
            }
        }
    }
}
