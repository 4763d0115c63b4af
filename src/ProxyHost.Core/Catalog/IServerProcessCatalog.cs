using Microsoft.Extensions.Primitives;

namespace ProxyHost.Catalog;

/// <summary>
/// The live set of server definitions. Readers take <see cref="Current"/> and register on
/// <see cref="GetChangeToken"/>; a change swaps in a whole new snapshot, then fires the old token.
/// </summary>
public interface IServerProcessCatalog
{
    ServerCatalogSnapshot Current { get; }

    /// <summary>A token that fires once, when the snapshot current at the time of the call is replaced.</summary>
    IChangeToken GetChangeToken();
}
