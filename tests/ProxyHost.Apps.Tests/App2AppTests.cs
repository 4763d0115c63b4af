using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

public sealed class App2AppTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SendToApp_DeliversToTheRunningInstance_WithTheSendersIdentity_ElseFalse()
    {
        await using var server = await NarviTestServer.StartAsync(n =>
        {
            n.RegisterApp("alpha", n.RegisterService("w1", "alpha_service", typeof(RelayService).FullName!));
            n.RegisterApp("beta", n.RegisterService("w2", "beta_service", typeof(RelayService).FullName!));
        }, output);
        await using var alpha = await server.ConnectAsync("/narvi/w1/alpha/a1/connect");
        await using var beta = await server.ConnectAsync("/narvi/w2/beta/b1/connect");

        await alpha.SendTextAsync("to:w2/beta/b1:hi there");
        (await alpha.ReceiveTextAsync()).Should().Be("sent:True");
        (await beta.ReceiveTextAsync()).Should().Be("from:w1/alpha_service/a1:hi there");

        await alpha.SendTextAsync("to:w2/beta/not-running:x");
        (await alpha.ReceiveTextAsync()).Should().Be("sent:False");
        await alpha.SendTextAsync("to:w2/no-such-app/b1:x");
        (await alpha.ReceiveTextAsync()).Should().Be("sent:False");
    }
}
