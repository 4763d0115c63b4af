using System.Net;
using System.Net.NetworkInformation;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Security;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Which hosts a bind serves. Checked on the policy itself, so the wildcard binds need not open a port on
/// every interface of the test machine; the middleware in front of the pipeline is tested in <see cref="HostHeaderTests"/>.
/// </summary>
public sealed class ServedHostsTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.0.2.7")]
    public async Task NonLoopbackBind_ServesTheMachinesOwnName(string bind)
    {
        var served = new ServedHosts(new ProxyHostOptions { Address = IPAddress.Parse(bind) });

        (await ServesAsync(served, Dns.GetHostName())).Should().BeTrue();
        (await ServesAsync(served, Dns.GetHostName().ToUpperInvariant() + ".")).Should().BeTrue();
        (await ServesAsync(served, "rebind.attacker.example")).Should().BeFalse();
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task WildcardBind_ServesEveryInterfaceAddress_AndTheOneConnectedTo(string bind)
    {
        var served = new ServedHosts(new ProxyHostOptions { Address = IPAddress.Parse(bind) });
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(u => MachineIdentity.Normalize(u.Address)).ToList();

        foreach (var address in addresses)
        {
            (await ServesAsync(served, HostOf(address))).Should().BeTrue(address.ToString());
        }
        (await ServesAsync(served, "198.51.100.77")).Should().BeFalse();
        (await ServesAsync(served, "198.51.100.77", IPAddress.Parse("198.51.100.77"))).Should().BeTrue();
    }

    [Fact]
    public async Task SpecificBind_ServesItsAddress_NotOtherInterfaces()
    {
        var served = new ServedHosts(new ProxyHostOptions { Address = IPAddress.Parse("192.0.2.7") });

        (await ServesAsync(served, "192.0.2.7:8888")).Should().BeTrue();
        (await ServesAsync(served, "198.51.100.77", IPAddress.Parse("198.51.100.77"))).Should().BeFalse();
    }

    [Fact]
    public async Task LoopbackBind_DoesNotServeTheMachinesName()
    {
        var name = Dns.GetHostName();
        var served = new ServedHosts(new ProxyHostOptions { Address = IPAddress.Loopback });

        (await ServesAsync(served, name)).Should().Be(name is "localhost" || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<bool> ServesAsync(ServedHosts served, string header, IPAddress? localAddress = null)
    {
        RequestHost.TryParse(header, out var host).Should().BeTrue(header);
        return await served.ServesAsync(host!, localAddress ?? IPAddress.Loopback).AsTask().DefaultTimeout();
    }

    private static string HostOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
}
