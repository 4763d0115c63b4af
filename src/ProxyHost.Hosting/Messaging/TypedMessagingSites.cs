using System.Collections.Concurrent;
using ProxyHost.Messaging.Server;

namespace ProxyHost.Hosting.Messaging;

/// <summary>
/// The typed-messaging sites ProxyHost serves at <c>&lt;base_url&gt;_/messaging/NAME/</c>, by name
/// (case-insensitive), so code can add handlers to a site defined in proxyhost.json and send to its clients.
/// </summary>
public sealed class TypedMessagingSites : IAsyncDisposable
{
    /// <summary>The path, under the base URL, that every site lives below.</summary>
    public const string PathPrefix = "_/messaging/";

    private readonly ConcurrentDictionary<string, MessagingHub> _sites = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => [.. _sites.Keys];

    /// <exception cref="KeyNotFoundException">No site has that name.</exception>
    public MessagingHub this[string name] => _sites.TryGetValue(name, out var hub) ? hub : throw new KeyNotFoundException($"no typed-messaging site named '{name}'");

    public bool TryGet(string name, out MessagingHub? hub) => _sites.TryGetValue(name, out hub);

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in _sites.Values)
        {
            await hub.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes every site's clients (ProxyHost is stopping).</summary>
    public void CloseAll()
    {
        foreach (var hub in _sites.Values)
        {
            hub.CloseAll();
        }
    }

    internal bool TryAdd(string name, MessagingHub hub) => _sites.TryAdd(name, hub);
}
