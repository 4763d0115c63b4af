using Microsoft.Extensions.Primitives;
using ProxyHost.Configuration;

namespace ProxyHost.Catalog;

/// <summary>A catalog updated by replacing the whole definition list (from a config file or from code).</summary>
public sealed class InMemoryServerProcessCatalog : IServerProcessCatalog
{
    private readonly Lock _updateLock = new();
    private volatile Generation _current;

    public InMemoryServerProcessCatalog(IEnumerable<ServerProcessDefinition>? servers = null)
    {
        _current = new Generation(new ServerCatalogSnapshot(servers ?? [], 1));
    }

    public ServerCatalogSnapshot Current => _current.Snapshot;

    public IChangeToken GetChangeToken() => _current.ChangeToken;

    /// <summary>Replaces every definition; a no-op when nothing differs, so watchers are not woken for nothing.</summary>
    /// <returns>True when the definitions changed.</returns>
    public bool Update(IEnumerable<ServerProcessDefinition> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var list = servers.ToList();
        Generation previous;
        lock (_updateLock)
        {
            previous = _current;
            if (previous.Snapshot.Servers.SequenceEqual(list))
            {
                return false;
            }
            _current = new Generation(new ServerCatalogSnapshot(list, previous.Snapshot.Version + 1));
        }
        previous.Signal();
        return true;
    }

    private sealed class Generation
    {
        private readonly CancellationTokenSource _changed = new();

        public Generation(ServerCatalogSnapshot snapshot)
        {
            Snapshot = snapshot;
            ChangeToken = new CancellationChangeToken(_changed.Token);
        }

        public ServerCatalogSnapshot Snapshot { get; }

        public IChangeToken ChangeToken { get; }

        public void Signal() => _changed.Cancel();
    }
}
