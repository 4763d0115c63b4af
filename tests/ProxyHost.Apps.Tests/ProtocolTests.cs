using System.Net.WebSockets;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

/// <summary>The session protocol over real websockets against a stand-alone server.</summary>
public sealed class ProtocolTests(ITestOutputHelper output)
{
    private static readonly string Echo = typeof(EchoService).FullName!;

    private Task<NarviTestServer> StartEchoAsync() => NarviTestServer.StartAsync(n =>
    {
        var service = n.RegisterService("demo", "echo_service", Echo);
        n.RegisterApp("echo", service, appParameters: new { colour = "teal", size = 3 });
    }, output);

    [Fact]
    public async Task Connect_FirstFrameIsSessionConnected_WithAppParameters()
    {
        await using var server = await StartEchoAsync();
        await using var client = await server.ConnectAsync("/narvi/demo/echo/any-id/connect");

        client.Connected.GetProperty("action").GetString().Should().Be("session_connected");
        Guid.TryParse(client.SessionId, out _).Should().BeTrue();
        client.Connected.GetProperty("app_parameters").GetRawText().Should().Be("""{"colour":"teal","size":3}""");
    }

    [Fact]
    public async Task Text_IsEchoedToTheSenderOnly_AndBinaryRoundTrips()
    {
        await using var server = await StartEchoAsync();
        await using var alice = await server.ConnectAsync("/narvi/demo/echo/room/connect");
        await using var bob = await server.ConnectAsync("/narvi/demo/echo/room/connect");

        await alice.SendTextAsync("hello ✓");
        (await alice.ReceiveTextAsync()).Should().Be("echo:hello ✓");
        await alice.SendBinaryAsync([1, 2, 3, 0, 255]);
        (await alice.ReceiveBinaryAsync()).Should().Equal(255, 0, 3, 2, 1);

        await bob.SendTextAsync("b");
        (await bob.ReceiveTextAsync()).Should().Be("echo:b", "nothing of alice's reached bob");
    }

    [Fact]
    public async Task Send_ForExceptAndBroadcast_ReachTheRightSessions()
    {
        await using var server = await StartEchoAsync();
        await using var a = await server.ConnectAsync("/narvi/demo/echo/room/connect");
        await using var b = await server.ConnectAsync("/narvi/demo/echo/room/connect");
        await using var c = await server.ConnectAsync("/narvi/demo/echo/room/connect");
        await using var elsewhere = await server.ConnectAsync("/narvi/demo/echo/other-room/connect");

        await a.SendTextAsync("others:x1");
        (await b.ReceiveTextAsync()).Should().Be("x1");
        (await c.ReceiveTextAsync()).Should().Be("x1");

        await a.SendTextAsync("both:x2");
        (await a.ReceiveTextAsync()).Should().Be("x2", "forSessionId wins over exceptSessionId");

        await b.SendTextAsync("all:x3");
        (await a.ReceiveTextAsync()).Should().Be("x3");
        (await b.ReceiveTextAsync()).Should().Be("x3");
        (await c.ReceiveTextAsync()).Should().Be("x3");

        await elsewhere.SendTextAsync("mine");
        (await elsewhere.ReceiveTextAsync()).Should().Be("echo:mine", "another service id is another instance and got none of the room's messages");
    }

    [Fact]
    public async Task EmptyTextFrame_IsAHeartbeat_NeverDelivered()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life", n.RegisterService("w", "life", typeof(LifecycleService).FullName!, new { tag })), output);
        await using var client = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await client.ReceiveTextAsync()).Should().Be("welcome");

        await client.SendTextAsync("");
        await client.SendTextAsync("");
        await client.SendTextAsync("real");

        (await client.ReceiveTextAsync()).Should().Be("count:1:real");
    }

    [Fact]
    public async Task SessionOpenListener_GetsAppQueryAndHeaders_AndItsSendsFollowSessionConnected()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life-page", n.RegisterService("w", "life", typeof(LifecycleService).FullName!, new { tag })), output);
        await using var client = await server.ConnectAsync("/narvi/w/life-page/s1/connect?q=a%20b+c&x=1");

        (await client.ReceiveTextAsync()).Should().Be("welcome");
        (await EventLog.WaitForAsync(tag, "open:")).Should().Be("open:s1:life-page:a b c:True");
    }

    [Fact]
    public async Task SlowInstance_DoesNotStallOtherInstances_AndEventsNeverOverlap()
    {
        var gate = Guid.NewGuid().ToString("N");
        await using var server = await NarviTestServer.StartAsync(n => n.RegisterApp("slow", n.RegisterService("w", "slow", typeof(SlowService).FullName!)), output);
        await using var blocked = await server.ConnectAsync("/narvi/w/slow/one/connect");
        await using var sameInstance = await server.ConnectAsync("/narvi/w/slow/one/connect");
        await using var free = await server.ConnectAsync("/narvi/w/slow/two/connect");

        await blocked.SendTextAsync("block:" + gate);
        await sameInstance.SendTextAsync("queued");
        await free.SendTextAsync("quick");
        (await free.ReceiveTextAsync()).Should().Be("done:quick", "instance 'two' runs while 'one' is blocked");

        Gates.Get(gate).Set();
        (await blocked.ReceiveTextAsync()).Should().Be("done:block:" + gate);
        (await sameInstance.ReceiveTextAsync()).Should().Be("done:queued", "it waited its turn on one's queue, without overlap");
    }

    [Fact]
    public async Task ClientClose_IsAnsweredWithACloseFrame()
    {
        await using var server = await StartEchoAsync();
        var client = await server.ConnectAsync("/narvi/demo/echo/x/connect");
        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
        client.Socket.State.Should().Be(WebSocketState.Closed);
        await client.DisposeAsync();
    }
}
