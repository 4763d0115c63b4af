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

    [Fact]
    public async Task YWebsocketClients_ConvergeAfterAnUpstreamOutage()
    {
        var upstreamOptions = new RelayOptions { AcceptMultiplexed = true };
        var upstream = await RelayTestHost.StartAsync(output, [("hub", upstreamOptions)]);
        var port = upstream.Address.Port;
        var upstreamUrl = new Uri($"ws://127.0.0.1:{port}/relay/hub?token={RelayTestHost.Token}");
        await using var local = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstreamUrl, ReconnectMaxDelay = TimeSpan.FromSeconds(1) })]);
        await local.Events.WaitAsync(RelayEventIds.UpstreamConnected).DefaultTimeout();
        using var node = NodeInterop.Start("outage.mjs", $"ws://{local.Address.Authority}/relay/docs", $"ws://127.0.0.1:{port}/relay/hub", "outage-room", RelayTestHost.Token);

        (await node.ReadLineAsync()).Should().Be("ready");
        await upstream.DisposeAsync();
        await local.Events.WaitAsync(RelayEventIds.UpstreamLost).DefaultTimeout();
        await node.WriteLineAsync("down");
        (await node.ReadLineAsync()).Should().Be("edited");
        await using var restarted = await RelayTestHost.StartAsync(output, [("hub", upstreamOptions)], port: port);
        var (exitCode, stdout, stderr) = await node.WaitForExitAsync();
        output.WriteLine("node stderr: " + stderr);

        exitCode.Should().Be(0, stderr);
        stdout.Should().Contain("\"converged\":true");
        local.Events.Count(RelayEventIds.UpstreamConnected).Should().Be(2, "the local relay reconnected once");
    }

    [Fact]
    public async Task YWebsocketClients_ConvergeAfterTheRelayLinkAloneWasCut()
    {
        await using var upstream = await RelayTestHost.StartAsync(output, [("hub", new RelayOptions { AcceptMultiplexed = true })]);
        await using var link = new TcpForwarder(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, upstream.Address.Port));
        var upstreamUrl = new Uri($"ws://127.0.0.1:{link.Port}/relay/hub?token={RelayTestHost.Token}");
        await using var local = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstreamUrl, ReconnectMaxDelay = TimeSpan.FromSeconds(1) })]);
        await local.Events.WaitAsync(RelayEventIds.UpstreamConnected).DefaultTimeout();
        using var node = NodeInterop.Start("outage.mjs", $"ws://{local.Address.Authority}/relay/docs", $"ws://{upstream.Address.Authority}/relay/hub", "link-room", RelayTestHost.Token);

        (await node.ReadLineAsync()).Should().Be("ready");
        link.Down();
        await local.Events.WaitAsync(RelayEventIds.UpstreamLost).DefaultTimeout();
        await node.WriteLineAsync("down");
        (await node.ReadLineAsync()).Should().Be("edited");
        link.Up();
        var (exitCode, stdout, stderr) = await node.WaitForExitAsync();
        output.WriteLine("node stderr: " + stderr);

        exitCode.Should().Be(0, "both clients stayed connected, so only the relay's re-sync can bring B's edit to A: " + stderr);
        stdout.Should().Contain("\"converged\":true");
    }

    [Fact]
    public async Task Relay_RefusesToBeItsOwnUpstream()
    {
        // The forwarder's port is known before the host starts, so the relay's upstream can point back at itself.
        await using var link = new TcpForwarder();
        var self = new Uri($"ws://127.0.0.1:{link.Port}/relay/loop?token={RelayTestHost.Token}");
        await using var host = await RelayTestHost.StartAsync(output, [("loop", new RelayOptions { AcceptMultiplexed = true, Upstream = self })]);
        link.Target = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, host.Address.Port);

        // Attempts before the target was set fail to connect at all; wait (a bounded number of attempts) for one that reached the relay.
        for (var attempts = 1; attempts <= 100 && !host.Events.Messages(916).Any(m => m.Contains("(409)", StringComparison.Ordinal)); attempts++)
        {
            await host.Events.WaitAsync(916, attempts).DefaultTimeout();
        }

        host.Events.Messages(916).Should().Contain(m => m.Contains("the upstream is this relay itself (409)", StringComparison.Ordinal));
        host.Events.Count(930).Should().Be(0, "the loop is refused before the upgrade");
    }

    /// <summary>Relay "docs" whose upstream is relay "hub" of a second ProxyHost, connected.</summary>
    private async Task<(RelayTestHost Upstream, RelayTestHost Local)> StartChainAsync()
    {
        var upstream = await RelayTestHost.StartAsync(output, [("hub", new RelayOptions { AcceptMultiplexed = true })]);
        var upstreamUrl = new Uri($"ws://{upstream.Address.Authority}/relay/hub?token={RelayTestHost.Token}");
        var local = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstreamUrl })]);
        await local.Events.WaitAsync(RelayEventIds.UpstreamConnected).DefaultTimeout();
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
