using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ProxyHost.Hosting.Security;

/// <summary>The names and addresses this machine is reached under, for hosts a non-loopback bind serves.</summary>
internal static class MachineIdentity
{
    /// <summary>A resolver that does not answer must not hold requests for long; without DNS the plain host name still counts.</summary>
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The host name, its canonical DNS name and aliases, and the first label of each (the short name a search
    /// domain completes), lower case without a trailing dot.
    /// </summary>
    public static async Task<IReadOnlySet<string>> NamesAsync()
    {
        var hostName = Dns.GetHostName();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { hostName };
        try
        {
            var entry = await Dns.GetHostEntryAsync(hostName).WaitAsync(ResolveTimeout).ConfigureAwait(false);
            names.Add(entry.HostName);
            names.UnionWith(entry.Aliases);
        }
        catch (Exception e) when (e is SocketException or TimeoutException or ArgumentException)
        {
            // Not resolvable: the host name alone is what this machine is known as.
        }
        return names.Where(n => n.Length > 0)
            .Select(n => n.TrimEnd('.').ToLowerInvariant())
            .SelectMany(n => new[] { n, n.Split('.')[0] })
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The unicast addresses of every network interface, as <see cref="Normalize"/> gives them.</summary>
    public static IReadOnlySet<IPAddress> InterfaceAddresses()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Select(u => Normalize(u.Address))
                .ToHashSet();
        }
        catch (NetworkInformationException)
        {
            return new HashSet<IPAddress>();
        }
    }

    /// <summary>IPv4-mapped IPv6 as IPv4, and without an IPv6 scope, so equal hosts compare equal.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }
}
