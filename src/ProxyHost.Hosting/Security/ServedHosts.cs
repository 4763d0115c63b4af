using System.Net;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// The hosts ProxyHost is served under: loopback names and addresses, the bound address (for a wildcard bind,
/// every interface's address and the address a connection arrived on), the machine's own names when the bind
/// is not loopback, and <see cref="ProxyHostOptions.AllowedHosts"/> plus the hosts of <see cref="ProxyHostOptions.AllowedOrigins"/>.
/// </summary>
/// <remarks>
/// Ports are not compared: a TLS terminator, the Hub's proxy or a port mapping in front changes the port a
/// browser sends, while what a DNS-rebinding page controls, and a check must refuse, is the name.
/// </remarks>
internal sealed class ServedHosts
{
    private readonly HostPatterns _patterns;
    private readonly IPAddress _bound;
    private readonly bool _wildcardBind;
    private readonly Lazy<IReadOnlySet<IPAddress>> _interfaceAddresses = new(MachineIdentity.InterfaceAddresses);
    private readonly Task<IReadOnlySet<string>>? _machineNames;

    /// <exception cref="ArgumentException">A pattern in <see cref="ProxyHostOptions.AllowedHosts"/> is not valid.</exception>
    public ServedHosts(ProxyHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _patterns = new HostPatterns(options.AllowedHosts.Concat(options.AllowedOrigins.Select(HostPatterns.FromOrigin).OfType<string>()));
        _bound = MachineIdentity.Normalize(options.Address);
        _wildcardBind = _bound.Equals(IPAddress.Any) || _bound.Equals(IPAddress.IPv6Any);
        if (!IPAddress.IsLoopback(_bound) && !_patterns.AnyHost)
        {
            // Resolved once, in the background from the start, so the first request under the machine's name does not wait for DNS.
            _machineNames = Task.Run(MachineIdentity.NamesAsync);
        }
    }

    /// <param name="host">The request's host.</param>
    /// <param name="localAddress">The address the connection arrived on.</param>
    public ValueTask<bool> ServesAsync(RequestHost host, IPAddress? localAddress)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IsLoopback(host) || _patterns.Matches(host))
        {
            return ValueTask.FromResult(true);
        }
        if (host.Address is { } address)
        {
            var normalized = MachineIdentity.Normalize(address);
            return ValueTask.FromResult(normalized.Equals(_bound)
                || (_wildcardBind && (normalized.Equals(localAddress is null ? null : MachineIdentity.Normalize(localAddress)) || _interfaceAddresses.Value.Contains(normalized))));
        }
        return _machineNames is null ? ValueTask.FromResult(false) : IsMachineNameAsync(host.Name);
    }

    /// <summary>RFC 6761: <c>localhost</c> and <c>*.localhost</c> are loopback, resolved by the browser itself, so no page can rebind them.</summary>
    private static bool IsLoopback(RequestHost host) =>
        host.Address is { } address ? IPAddress.IsLoopback(MachineIdentity.Normalize(address))
        : host.Name == "localhost" || host.Name.EndsWith(".localhost", StringComparison.Ordinal);

    private async ValueTask<bool> IsMachineNameAsync(string name) => (await _machineNames!.ConfigureAwait(false)).Contains(name);
}
