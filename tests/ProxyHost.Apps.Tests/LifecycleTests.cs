using System.Net;
using System.Net.WebSockets;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

/// <summary>Instances: shared and per-session, fixed ids, idle timeout, validator, start/stop/restart.</summary>
public sealed class LifecycleTests(ITestOutputHelper output)
{
    private static readonly string Life = typeof(LifecycleService).FullName!;

    [Fact]
    public async Task SharedInstance_ClosesAfterIdleTimeout_OnceTheLastSessionLeft_AndSessionCloseListenersFire()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag }, idleTimeout: TimeSpan.FromMilliseconds(300))), output);
        var first = await server.ConnectAsync("/narvi/w/life/s1/connect");
        var second = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await EventLog.WaitForAsync(tag, "constructed:")).Should().Be("constructed:s1");

        await first.DisposeAsync();
        (await EventLog.WaitForAsync(tag, "close:")).Should().Be($"close:s1:{first.SessionId}");
        using var client = server.CreateClient();
        (await client.GetAsync("/narvi/w/life/s1/status").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK, "one session is still there");

        await second.DisposeAsync();
        (await EventLog.WaitForAsync(tag, e => e.StartsWith("close:", StringComparison.Ordinal) || e.StartsWith("appclose:", StringComparison.Ordinal)))
            .Should().Be($"close:s1:{second.SessionId}");
        (await EventLog.WaitForAsync(tag, "appclose:")).Should().Be("appclose:s1");
        (await client.GetAsync("/narvi/w/life/s1/status").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await using var again = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await EventLog.WaitForAsync(tag, "constructed:")).Should().Be("constructed:s1", "the next connect starts a new instance");
    }

    [Fact]
    public async Task Reconnecting_BeforeTheIdleTimeout_KeepsTheInstance()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag }, idleTimeout: TimeSpan.FromSeconds(30))), output);
        await using (var first = await server.ConnectAsync("/narvi/w/life/s1/connect"))
        {
            await first.SendTextAsync("a");
            (await first.ReceiveTextAsync()).Should().Be("welcome");
            (await first.ReceiveTextAsync()).Should().Be("count:1:a");
        }
        await using var second = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await second.ReceiveTextAsync()).Should().Be("welcome");
        await second.SendTextAsync("b");
        (await second.ReceiveTextAsync()).Should().Be("count:2:b", "the same app object kept its state");
    }

    [Fact]
    public async Task NonShared_GivesEachSessionItsOwnInstance_ClosedWithTheSession()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag }, sharedService: false)), output);
        await using var a = await server.ConnectAsync("/narvi/w/life/same/connect");
        await using var b = await server.ConnectAsync("/narvi/w/life/same/connect");
        (await a.ReceiveTextAsync()).Should().Be("welcome");
        (await b.ReceiveTextAsync()).Should().Be("welcome");
        await a.SendTextAsync("x");
        (await a.ReceiveTextAsync()).Should().Be("count:1:x");
        await b.SendTextAsync("y");
        (await b.ReceiveTextAsync()).Should().Be("count:1:y", "b has an instance of its own");

        var statuses = server.Server.GetServiceStatuses("w");
        statuses["life"]!["instances"]!["same"]!.AsArray().Should().HaveCount(2);

        await a.CloseAsync();
        (await EventLog.WaitForAsync(tag, "appclose:")).Should().Be("appclose:same");
        server.Server.GetServiceStatuses("w")["life"]!["instances"]!["same"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public async Task FixedServiceId_IsStartedEagerly_AndNeverIdlesOut()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag }, fixedServiceId: "main", idleTimeout: TimeSpan.Zero)), output);
        (await EventLog.WaitForAsync(tag, "constructed:")).Should().Be("constructed:main", "run() constructs fixed-id services before any connect");

        await (await server.ConnectAsync("/narvi/w/life/main/connect")).DisposeAsync();
        await EventLog.WaitForAsync(tag, "close:");
        await using var again = await server.ConnectAsync("/narvi/w/life/main/connect");
        (await again.ReceiveTextAsync()).Should().Be("welcome");
        await again.SendTextAsync("z");
        (await again.ReceiveTextAsync()).Should().Be("count:1:z");
        server.Server.GetServiceStatuses("w")["life"]!["instances"]!["main"]!.AsArray().Should().HaveCount(1);
    }

    [Fact]
    public async Task Validator_DecidesWhichServiceIdsExist_AndAThrowingValidatorRejects()
    {
        await using var server = await NarviTestServer.StartAsync(n =>
        {
            n.RegisterApp("even", n.RegisterService("w", "even", typeof(EchoService).FullName!, serviceIdValidator: id => int.Parse(id, System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));
        }, output);
        await using var ok = await server.ConnectAsync("/narvi/w/even/42/connect");
        using var client = server.CreateClient();
        (await client.GetAsync("/narvi/w/even/42/status").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);

        foreach (var bad in new[] { "41", "not-a-number" })
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            await FluentActions.Awaiting(() => socket.ConnectAsync(server.WebSocketUri($"/narvi/w/even/{bad}/connect"), TestTimeouts.DefaultToken()))
                .Should().ThrowAsync<WebSocketException>();
            socket.HttpStatusCode.Should().Be(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task StopService_DisconnectsSessions_AndRunsAppCloseListeners()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n => n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag })), output);
        await using var client = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await client.ReceiveTextAsync()).Should().Be("welcome");

        (await server.Server.StopServiceAsync("w", "life", "s1").DefaultTimeout()).Should().BeTrue();

        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        (await EventLog.WaitForAsync(tag, "appclose:")).Should().Be("appclose:s1");
        (await server.Server.StopServiceAsync("w", "life", "s1").DefaultTimeout()).Should().BeFalse();
    }

    [Fact]
    public async Task RestartService_IsARealRestart_WithAFreshAppObject()
    {
        var tag = EventLog.NewTag();
        await using var server = await NarviTestServer.StartAsync(n => n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag })), output);
        await server.Server.StartServiceAsync("w", "life", "kept").DefaultTimeout();
        (await EventLog.WaitForAsync(tag, "constructed:")).Should().Be("constructed:kept");
        await using (var client = await server.ConnectAsync("/narvi/w/life/kept/connect"))
        {
            await client.SendTextAsync("a");
            (await client.ReceiveTextAsync()).Should().Be("welcome");
            (await client.ReceiveTextAsync()).Should().Be("count:1:a");
        }

        await server.Server.RestartServiceAsync("w", "life", "kept").DefaultTimeout();

        (await EventLog.WaitForAsync(tag, "appclose:")).Should().Be("appclose:kept");
        (await EventLog.WaitForAsync(tag, "constructed:")).Should().Be("constructed:kept");
        await using var after = await server.ConnectAsync("/narvi/w/life/kept/connect");
        (await after.ReceiveTextAsync()).Should().Be("welcome");
        await after.SendTextAsync("b");
        (await after.ReceiveTextAsync()).Should().Be("count:1:b", "the restarted instance starts from scratch");
    }

    [Fact]
    public async Task ThrowingConstructor_RefusesTheConnectWith500()
    {
        await using var server = await NarviTestServer.StartAsync(n => n.RegisterApp("bad", n.RegisterService("w", "bad", typeof(ThrowingService).FullName!)), output);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await FluentActions.Awaiting(() => socket.ConnectAsync(server.WebSocketUri("/narvi/w/bad/x/connect"), TestTimeouts.DefaultToken()))
            .Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Dispose_ClosesSessionsGracefully()
    {
        var tag = EventLog.NewTag();
        var server = await NarviTestServer.StartAsync(n => n.RegisterApp("life", n.RegisterService("w", "life", Life, new { tag })), output);
        await using var client = await server.ConnectAsync("/narvi/w/life/s1/connect");
        (await client.ReceiveTextAsync()).Should().Be("welcome");

        var dispose = server.DisposeAsync().AsTask();
        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        await client.CloseAsync();
        await dispose.DefaultTimeout();
        (await EventLog.WaitForAsync(tag, "appclose:")).Should().Be("appclose:s1");
    }
}
