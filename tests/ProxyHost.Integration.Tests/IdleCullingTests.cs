using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Proxy.Activity;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class IdleCullingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan FastChecks = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task IdleServer_IsStoppedAndStartsAgainOnNextRequest()
    {
        var idle = Dummy("idle") with { IdleTimeout = TimeSpan.FromSeconds(1) };
        await using var host = await TestProxyHost.StartAsync([idle, Dummy("busy")], output: output,
            services: s => s.Configure<ActivityOptions>(o => o.CheckInterval = FastChecks));
        using var client = host.CreateClient();
        var firstPid = int.Parse(await client.GetStringAsync("idle/pid").DefaultTimeout());
        await client.GetStringAsync("busy/").DefaultTimeout();

        await WaitForStateAsync(host, "idle", ServerProcessState.Stopped);

        ProcessChecks.IsAlive(firstPid).Should().BeFalse();
        host.Supervisor.GetSnapshot("busy")!.State.Should().Be(ServerProcessState.Running, "a server without idle_timeout is never culled");
        var secondPid = int.Parse(await client.GetStringAsync("idle/pid").DefaultTimeout());
        secondPid.Should().NotBe(firstPid);
    }

    [Fact]
    public async Task ShutdownNoActivityTimeout_StopsHostAndItsProcesses()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app")], output: output,
            services: s => s.Configure<ActivityOptions>(o =>
            {
                o.CheckInterval = FastChecks;
                o.ShutdownNoActivityTimeout = TimeSpan.FromSeconds(3);
            }));
        using var client = host.CreateClient();
        var pid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());
        var lastRequest = DateTimeOffset.UtcNow;

        // What `proxyhost serve` does after starting: wait for the lifetime to stop, then stop the host.
        await host.App.WaitForShutdownAsync().DefaultTimeout();

        (DateTimeOffset.UtcNow - lastRequest).Should().BeGreaterThan(TimeSpan.FromSeconds(2.9));
        ProcessChecks.IsAlive(pid).Should().BeFalse();
    }

    private static async Task WaitForStateAsync(TestProxyHost host, string name, ServerProcessState state)
    {
        using var cancellation = new CancellationTokenSource(TestTimeouts.Default);
        await foreach (var snapshot in host.Supervisor.WatchAsync(cancellation.Token))
        {
            if (snapshot.Name == name && snapshot.State == state)
            {
                return;
            }
        }
    }

    private static ServerProcessDefinition Dummy(string name) =>
        new() { Name = name, Command = DummyProgram.Argv("http", "--port", "<port>"), Timeout = TimeSpan.FromSeconds(20) };
}
