using ProxyHost.Configuration;

namespace ProxyHost.Catalog;

/// <summary>One immutable generation of the server definitions.</summary>
public sealed class ServerCatalogSnapshot
{
    private readonly Dictionary<string, ServerProcessDefinition> _byName;

    public ServerCatalogSnapshot(IEnumerable<ServerProcessDefinition> servers, long version)
    {
        Servers = [.. servers];
        Version = version;
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var server in Servers)
        {
            if (!_byName.TryAdd(server.Name, server))
            {
                throw new ArgumentException($"server '{server.Name}' is defined more than once", nameof(servers));
            }
        }
    }

    /// <summary>Definitions in config order.</summary>
    public IReadOnlyList<ServerProcessDefinition> Servers { get; }

    /// <summary>Increases by one with every update.</summary>
    public long Version { get; }

    public ServerProcessDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}
