using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Relay.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests;

/// <summary>Real y-websocket clients (Node) and relay chains.</summary>
public sealed class InteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task YWebsocketClients_ConvergeThroughTheRelay()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        var url = $"ws://{host.Address.Authority}/relay/docs";

        await RunConvergeAsync(url, url);
    }

    [Fact]
    public async Task YWebsocketClients_ConvergeThroughARelayAndItsUpstreamRelay()
    {
        var (upstream, local) = await StartChainAsync();
        await using var disposeUpstream = upstream;
        await using var disposeLocal = local;

        await RunConvergeAsync($"ws://{local.Address.Authority}/relay/docs", $"ws://{upstream.Address.Authority}/relay/hub");
    }

    [Fact]
    public async Task Relays_ChainThroughTheMultiplexedEndpoint()
    {
        var (upstream, local) = await StartChainAsync();
        await using var disposeUpstream = upstream;
        await using var disposeLocal = local;
        await using var near = await local.ConnectAsync("relay/docs/shared");
        await using var far = await upstream.ConnectAsync("relay/hub/shared");
        byte[] update = [0x00, 0x02, 0x02, 0x10, 0x20];

        await near.SendAsync(update);
        (await far.ReceiveDataAsync()).Should().Equal(update, "the local relay multiplexes it upstream and the upstream relay unwraps it");
        await far.SendAsync([0x01, 0x03, 0x00, 0x01, 0x02]);
        (await near.ReceiveDataAsync()).Should().Equal(0x01, 0x03, 0x00, 0x01, 0x02);
    }

    /// <summary>Relay "docs" whose upstream is relay "hub" of a second ProxyHost, connected.</summary>
    private async Task<(RelayTestHost Upstream, RelayTestHost Local)> StartChainAsync()
    {
        var upstream = await RelayTestHost.StartAsync(output, [("hub", new RelayOptions { AcceptMultiplexed = true })]);
        var upstreamUrl = new Uri($"ws://{upstream.Address.Authority}/relay/hub?token={RelayTestHost.Token}");
        var local = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstreamUrl })]);
        await local.Events.WaitAsync(910).DefaultTimeout();
        return (upstream, local);
    }

    private async Task RunConvergeAsync(string urlA, string urlB)
    {
        var (exitCode, stdout, stderr) = await NodeInterop.RunAsync("converge.mjs", urlA, urlB, "interop-room", RelayTestHost.Token);
        output.WriteLine("node stdout: " + stdout);
        output.WriteLine("node stderr: " + stderr);

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("\"converged\":true");
    }
}
