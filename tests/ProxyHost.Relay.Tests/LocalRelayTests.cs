using System.Net;
using System.Net.WebSockets;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Relay.Protocol;
using ProxyHost.Relay.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests;

public sealed class LocalRelayTests(ITestOutputHelper output)
{
    private static readonly byte[] Update1 = [0x00, 0x02, 0x03, 0x01, 0x02, 0x03];
    private static readonly byte[] Update2 = [0x00, 0x02, 0x01, 0x09];
    private static readonly byte[] Awareness = [0x01, 0x05, 0x01, 0x07, 0x01, 0x02, 0x7B, 0x7D];

    [Fact]
    public async Task Relay_FansOutToOtherClientsOfTheSameDocumentOnly()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        await using var a1 = await host.ConnectAsync("relay/docs/a");
        await using var a2 = await host.ConnectAsync("relay/docs/a");
        await using var b = await host.ConnectAsync("relay/docs/b");
        await a2.JoinedAsync();

        await a1.SendAsync(Update1);
        await a1.SendAsync(Awareness);

        (await a2.ReceiveDataAsync()).Should().Equal(Update1);
        (await a2.ReceiveDataAsync()).Should().Equal(Awareness, "awareness messages are relayed like any other");
        await b.SendAsync(Update2);
        await a2.SendAsync(Update2);
        (await a1.ReceiveDataAsync()).Should().Equal(Awareness, "awareness comes back to its sender, as from the y-websocket server");
        (await a1.ReceiveDataAsync()).Should().Equal(Update2, "a1 gets a2's message, never its own updates or b's");
        b.Drain().Where(m => !RelayClient.IsRelayControl(m)).Should().BeEmpty();
    }

    [Fact]
    public async Task Relay_AnswersALonelySyncStep1AndAsksJoinersForTheirState()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        await using var first = await host.ConnectAsync("relay/docs/d");
        await first.SendAsync(YMessages.RequestFullState.ToArray());
        (await first.ReceiveAsync()).Should().Equal(YMessages.EmptySyncStep2.ToArray(), "nobody else can answer, and y-websocket waits for a step 2 to be synced");

        await using var second = await host.ConnectAsync("relay/docs/d");
        (await second.ReceiveAsync()).Should().Equal(YMessages.RequestFullState.ToArray(), "a joiner is asked for what it has, for the others");
        byte[] step1 = [0x00, 0x00, 0x03, 0x01, 0x05, 0x02];
        (await first.ReceiveAsync()).Should().Equal(YMessages.QueryAwareness.ToArray(), "the others are asked to announce their awareness to the joiner");
        await second.SendAsync(step1);
        (await first.ReceiveAsync()).Should().Equal(step1, "with a peer present the peer answers, not the relay");
        second.Drain().Should().BeEmpty();
    }

    [Theory]
    [InlineData("relay/docs/")]
    [InlineData("relay/docs")]
    public async Task Relay_RefusesAMissingDocumentIdBeforeTheUpgrade(string path)
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        using var client = host.CreateClient();

        using var response = await WebSocketUpgrade.SendAsync(client, path);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No document id: connect y-websocket clients to /relay/docs/<documentId>");
    }

    [Fact]
    public async Task Relay_RefusesUnknownRelaysPlainHttpAndControlCharacters()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        using var client = host.CreateClient();

        using var unknown = await WebSocketUpgrade.SendAsync(client, "relay/nope/a");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("no relay named 'nope' (configured: docs)");
        using var plain = await client.GetAsync("relay/docs/a").DefaultTimeout();
        plain.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await plain.Content.ReadAsStringAsync()).Should().Contain("speaks websockets only");
        using var control = await WebSocketUpgrade.SendAsync(client, "relay/docs/a%01b");
        control.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await control.Content.ReadAsStringAsync()).Should().Contain("control characters");
    }

    [Fact]
    public async Task Relay_TellsTheRoomWhenAClientsAwarenessLeaves()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        await using var stays = await host.ConnectAsync("relay/docs/d");
        var leaves = await host.ConnectAsync("relay/docs/d");
        // client 0x2A at clock 3 with state {"a":1}
        byte[] announce = [0x01, 0x0B, 0x01, 0x2A, 0x03, 0x07, .. "{\"a\":1}"u8.ToArray()];
        await leaves.SendAsync(announce);
        (await stays.ReceiveDataAsync()).Should().Equal(announce);

        await leaves.DisposeAsync();

        (await stays.ReceiveDataAsync()).Should().Equal([0x01, 0x08, 0x01, 0x2A, 0x04, 0x04, .. "null"u8.ToArray()]);
    }

    [Fact]
    public async Task Relay_IsBehindProxyHostsAuth()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        var act = () => socket.ConnectAsync(host.WebSocketUri("relay/docs/a"), TestTimeouts.DefaultToken());

        await act.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Relay_ClosesAClientThatFallsBehindWithoutDelayingTheOthers()
    {
        var options = new RelayOptions { ClientQueueFrames = 16, ClientQueueBytes = 1 << 20, MaxMessageBytes = 1 << 20 };
        await using var host = await RelayTestHost.StartAsync(output, [("docs", options)]);
        await using var sender = await host.ConnectAsync("relay/docs/d");
        await using var fast = await host.ConnectAsync("relay/docs/d");
        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(host.WebSocketUri("relay/docs/d", withToken: true), TestTimeouts.DefaultToken()).DefaultTimeout();
        await fast.ReceiveAsync();

        // 400 x 64 KiB = 25 MiB: far more than the socket buffers plus the slow client's 16-message queue hold.
        var payload = new byte[64 * 1024];
        payload[0] = 0x00;
        payload[1] = 0x02;
        for (var i = 0; i < 400; i++)
        {
            payload[2] = (byte)i;
            await sender.SendAsync(payload);
            var got = await fast.ReceiveDataAsync();
            got[2].Should().Be((byte)i, "the fast client gets every message in order while the slow one reads nothing");
        }
        await host.Events.WaitAsync(920).DefaultTimeout();

        var buffer = new byte[1 << 16];
        WebSocketReceiveResult result;
        do
        {
            result = await slow.ReceiveAsync(buffer, TestTimeouts.DefaultToken()).DefaultTimeout();
        }
        while (result.MessageType != WebSocketMessageType.Close);
        result.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        result.CloseStatusDescription.Should().StartWith("too slow: ");
        using var client = host.CreateClient();
        (await client.GetStringAsync("metrics").DefaultTimeout()).Should().Contain("proxyhost_relay_dropped_total{reason=\"client_too_slow\",relay=\"docs\"} 1\n");
    }

    [Fact]
    public async Task Relay_ReassemblesFragmentedMessages()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions())]);
        await using var sender = await host.ConnectAsync("relay/docs/d");
        await using var receiver = await host.ConnectAsync("relay/docs/d");
        await receiver.JoinedAsync();

        await sender.Socket.SendAsync(new byte[] { 0x00, 0x02 }, WebSocketMessageType.Binary, false, CancellationToken.None).DefaultTimeout();
        await sender.Socket.SendAsync(new byte[] { 0x02 }, WebSocketMessageType.Binary, false, CancellationToken.None).DefaultTimeout();
        await sender.Socket.SendAsync(new byte[] { 0x0A, 0x0B }, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

        (await receiver.ReceiveDataAsync()).Should().Equal(0x00, 0x02, 0x02, 0x0A, 0x0B);
    }

    [Fact]
    public async Task Relay_ClosesTextAndOversizedMessagesWithAReason()
    {
        await using var host = await RelayTestHost.StartAsync(output, [("docs", new RelayOptions { MaxMessageBytes = 64 })]);
        await using var text = await host.ConnectAsync("relay/docs/d");
        await using var big = await host.ConnectAsync("relay/docs/d");

        await text.Socket.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        await big.SendAsync(new byte[65]);

        (await text.Closed.DefaultTimeout()).Should().Be((WebSocketCloseStatus.InvalidMessageType, "the relay carries binary Yjs messages only"));
        (await big.Closed.DefaultTimeout()).Should().Be((WebSocketCloseStatus.MessageTooBig, "a message exceeded 64 bytes"));
    }
}
