using System.Net;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests;

public sealed class UpstreamTests(ITestOutputHelper output)
{
    private const int Connected = 910;
    private const int Lost = 911;
    private const int BadFrame = 912;
    private const int QueueFull = 913;

    private static readonly byte[] Update = [0x00, 0x02, 0x02, 0xAB, 0xCD];

    [Fact]
    public async Task Upstream_GetsEveryClientFramePrefixedOnOneSharedConnection()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri })]);
        var peer = await upstream.AcceptAsync();
        await using var a = await host.ConnectAsync("relay/docs/mydoc");
        await using var b = await host.ConnectAsync("relay/docs/other/doc");

        await a.SendAsync(Update);
        await b.SendAsync(Update);

        (await ReceiveDataAsync(peer)).Should().Equal([0x49, 0x44, 0x05, .. "mydoc"u8.ToArray(), .. Update]);
        (await ReceiveDataAsync(peer)).Should().Equal([0x49, 0x44, 0x09, .. "other/doc"u8.ToArray(), .. Update]);
        upstream.Authorizations.Should().ContainSingle("both documents share one upstream websocket");
    }

    [Fact]
    public async Task Upstream_JoinsAskTheUpstreamForAwarenessUnlessTurnedOff()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output,
            [("on", new RelayOptions { Upstream = upstream.Uri }), ("off", new RelayOptions { Upstream = upstream.Uri, UpstreamQueryAwareness = false })]);
        var peers = new[] { await upstream.AcceptAsync(), await upstream.AcceptAsync() };
        await using var on = await host.ConnectAsync("relay/on/d");
        await using var off = await host.ConnectAsync("relay/off/d");

        await on.SendAsync(Update);
        await off.SendAsync(Update);

        var first = await Task.WhenAll(peers.Select(p => p.ReceiveAsync()));
        first.Select(f => Convert.ToHexString(f)).Should().BeEquivalentTo(
            [Convert.ToHexString(IdentifierMessage.Encode(RelayMagic.Id, "d", YMessages.QueryAwareness.Span)), Convert.ToHexString(IdentifierMessage.Encode(RelayMagic.Id, "d", Update))]);
    }

    [Fact]
    public async Task Upstream_LegacyMagicIsConfigurable()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri, Magic = RelayMagic.Legacy })]);
        var peer = await upstream.AcceptAsync();
        await using var a = await host.ConnectAsync("relay/docs/d");

        await a.SendAsync(Update);

        (await ReceiveDataAsync(peer, RelayMagic.Legacy)).Should().Equal([0x02, 0x00, 0x01, (byte)'d', .. Update]);
    }

    [Fact]
    public async Task Upstream_FramesAreRoutedByIdentifierAndBadOnesSkippedWithoutReconnecting()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri, MaxMessageBytes = 64 })]);
        var peer = await upstream.AcceptAsync();
        await using var a = await host.ConnectAsync("relay/docs/a");
        await using var b = await host.ConnectAsync("relay/docs/b");

        await peer.SendAsync([0x00, 0x02, 0x01, 0x01]);
        await peer.SendAsync([0x49, 0x44, 0x80]);
        await peer.SendAsync([0x49, 0x44, 0x09, (byte)'a']);
        await peer.SendAsync(IdentifierMessage.Encode(RelayMagic.Id, "a", new byte[100]));
        await peer.SendAsync(IdentifierMessage.Encode(RelayMagic.Id, "a", Update));
        await host.Events.WaitAsync(BadFrame, 4).DefaultTimeout();

        (await a.ReceiveDataAsync()).Should().Equal(Update, "the prefix is stripped and the frame goes to document a only");
        await peer.SendAsync(IdentifierMessage.Encode(RelayMagic.Id, "b", [0x01, 0x02]));
        (await b.ReceiveDataAsync()).Should().Equal(0x01, 0x02);
        host.Events.Messages(BadFrame).Should().Equal(
            "Relay docs: rejected a frame from the upstream: the frame starts with 0002, not the identifier magic 4944",
            "Relay docs: rejected a frame from the upstream: the identifier length is truncated",
            "Relay docs: rejected a frame from the upstream: the identifier claims 9 bytes but only 1 follow",
            "Relay docs: rejected a frame from the upstream: a message exceeded 64 bytes");
        host.Events.Count(Lost).Should().Be(0, "bad frames never tear down the shared connection");
        upstream.Authorizations.Should().ContainSingle();
    }

    [Fact]
    public async Task Upstream_ReconnectsResyncsEveryRoomAndFlushesWhatWasQueued()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri })]);
        var first = await upstream.AcceptAsync();
        await using var a = await host.ConnectAsync("relay/docs/a");
        await using var b = await host.ConnectAsync("relay/docs/b");
        await a.SendAsync(Update);
        (await ReceiveDataAsync(first)).Should().Equal(IdentifierMessage.Encode(RelayMagic.Id, "a", Update));
        a.Drain();
        b.Drain();

        upstream.RefuseWith = 503;
        first.Abort();
        await host.Events.WaitAsync(Lost).DefaultTimeout();
        byte[] offline = [0x00, 0x02, 0x01, 0x42];
        await b.SendAsync(offline);
        upstream.RefuseWith = 0;
        var second = await upstream.AcceptAsync();

        var frames = new List<byte[]> { await second.ReceiveAsync(), await second.ReceiveAsync(), await second.ReceiveAsync() };
        frames.Take(2).Select(Decode).Should().BeEquivalentTo(
            [("a", YMessages.RequestFullState.ToArray()), ("b", YMessages.RequestFullState.ToArray())],
            "every active room first asks the upstream for its full state");
        Decode(frames[2]).Should().BeEquivalentTo(("b", offline), "then what was sent during the outage is flushed");
        (await a.ReceiveAsync()).Should().Equal(YMessages.RequestFullState.ToArray(), "local clients are asked for their state too, for the upstream");
        (await b.ReceiveAsync()).Should().Equal(YMessages.RequestFullState.ToArray());
        host.Events.Messages(Connected).Last().Should().Contain("1 queued frame(s) to flush, 0 dropped");
    }

    [Fact]
    public async Task Upstream_QueueOverflowIsLoggedAndCountedNeverSilent()
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.RefuseWith = 503;
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri, UpstreamQueueFrames = 3 })]);
        await using var a = await host.ConnectAsync("relay/docs/a");

        for (byte i = 0; i < 5; i++)
        {
            await a.SendAsync([0x00, 0x02, 0x01, i]);
        }
        await host.Events.WaitAsync(QueueFull).DefaultTimeout();
        using var client = host.CreateClient();
        var metrics = await client.GetStringAsync("metrics").DefaultTimeout();
        upstream.RefuseWith = 0;
        var peer = await upstream.AcceptAsync();

        metrics.Should().Contain("proxyhost_relay_dropped_total{reason=\"upstream_queue_full\",relay=\"docs\"} 3\n")
            .And.Contain("proxyhost_relay_upstream_queued{relay=\"docs\"} 3\n")
            .And.Contain("proxyhost_relay_upstream_connected{relay=\"docs\"} 0\n");
        Decode(await peer.ReceiveAsync()).Should().BeEquivalentTo(("a", YMessages.RequestFullState.ToArray()));
        Decode(await peer.ReceiveAsync()).Should().BeEquivalentTo(("a", YMessages.QueryAwareness.ToArray()), "queued when a joined");
        Decode(await peer.ReceiveAsync()).Should().BeEquivalentTo(("a", new byte[] { 0x00, 0x02, 0x01, 0x00 }));
        Decode(await peer.ReceiveAsync()).Should().BeEquivalentTo(("a", new byte[] { 0x00, 0x02, 0x01, 0x01 }));
        host.Events.Messages(Connected).Single().Should().Contain("3 queued frame(s) to flush, 3 dropped while disconnected");
    }

    [Fact]
    public async Task Upstream_SendsBasicCredentialsEagerly()
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.RequiredCredentials = ("ann", "sécret");
        var options = new RelayOptions { Upstream = upstream.Uri, User = "ann", Password = "sécret" };
        await using var host = await RelayTestHost.StartAsync(output, [("docs", options)]);

        await upstream.AcceptAsync();

        upstream.Authorizations.Should().Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:sécret")));
    }

    [Fact]
    public async Task Upstream_SendsCredentialsAfterA401AndKeepsSendingThem()
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.RequiredCredentials = ("ann", "pw");
        var options = new RelayOptions { Upstream = upstream.Uri, User = "ann", Password = "pw", SendAuth = RelaySendAuth.On401 };
        await using var host = await RelayTestHost.StartAsync(output, [("docs", options)]);

        var first = await upstream.AcceptAsync();
        first.Abort();
        await upstream.AcceptAsync();

        var basic = "Basic " + Convert.ToBase64String("ann:pw"u8.ToArray());
        upstream.Authorizations.Should().Equal(null, basic, basic);
        host.Events.Count(915).Should().Be(1);
    }

    [Fact]
    public async Task Upstream_WrongCredentialsAreRetriedWithBackoffAndLogged()
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.RequiredCredentials = ("ann", "right");
        var options = new RelayOptions { Upstream = upstream.Uri, User = "ann", Password = "wrong" };
        await using var host = await RelayTestHost.StartAsync(output, [("docs", options)]);

        await host.Events.WaitAsync(916, 2).DefaultTimeout();

        host.Events.Messages(916)[0].Should().Contain("the upstream refused the connection with 401 (check \"user\" and \"password\")");
    }

    [Fact]
    public async Task Metrics_ShowRoomsClientsTrafficAndUpstreamState()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { Upstream = upstream.Uri })]);
        var peer = await upstream.AcceptAsync();
        await using var a1 = await host.ConnectAsync("relay/docs/a");
        await using var a2 = await host.ConnectAsync("relay/docs/a");
        await using var b = await host.ConnectAsync("relay/docs/b");
        await a1.SendAsync(Update);
        (await a2.ReceiveDataAsync()).Should().Equal(Update);
        await ReceiveDataAsync(peer);
        await peer.SendAsync(IdentifierMessage.Encode(RelayMagic.Id, "b", Update));
        (await b.ReceiveDataAsync()).Should().Equal(Update);
        using var client = host.CreateClient();

        var metrics = await client.GetStringAsync("metrics").DefaultTimeout();

        metrics.Should().Contain("proxyhost_relay_rooms{relay=\"docs\"} 2\n")
            .And.Contain("proxyhost_relay_room_clients{document=\"a\",relay=\"docs\"} 2\n")
            .And.Contain("proxyhost_relay_room_clients{document=\"b\",relay=\"docs\"} 1\n")
            .And.Contain("proxyhost_relay_upstream_connected{relay=\"docs\"} 1\n")
            .And.Contain("proxyhost_relay_upstream_connects_total{relay=\"docs\"} 1\n")
            .And.Contain("proxyhost_relay_frames_total{direction=\"from_clients\",relay=\"docs\"} 1\n")
            .And.Contain("proxyhost_relay_frames_total{direction=\"from_upstream\",relay=\"docs\"} 1\n")
            .And.Contain($"proxyhost_relay_bytes_total{{direction=\"from_clients\",relay=\"docs\"}} {Update.Length}\n")
            .And.MatchRegex("proxyhost_relay_frames_total\\{direction=\"to_upstream\",relay=\"docs\"\\} [1-9]")
            .And.MatchRegex("proxyhost_relay_frames_total\\{direction=\"to_clients\",relay=\"docs\"\\} [1-9]");
    }

    /// <summary>The next frame that is not the relay's own state request.</summary>
    private static async Task<byte[]> ReceiveDataAsync(UpstreamPeer peer, RelayMagic magic = RelayMagic.Id)
    {
        while (true)
        {
            var frame = await peer.ReceiveAsync();
            IdentifierMessage.TryDecode(magic, frame, out _, out var message).Should().BeNull();
            if (!RelayClient.IsRelayControl(message.Span))
            {
                return frame;
            }
        }
    }

    private static (string Document, byte[] Message) Decode(byte[] frame)
    {
        IdentifierMessage.TryDecode(RelayMagic.Id, frame, out var document, out var message).Should().BeNull();
        return (document, message.ToArray());
    }
}
