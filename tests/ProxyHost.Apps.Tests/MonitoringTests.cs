using System.Text.Json.Nodes;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

/// <summary>Metrics polling, retention and the admin JSON (Narvi's shape), pushed to admin listeners.</summary>
public sealed class MonitoringTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AdminListener_GetsTheAdminJsonInNarvisShape_WithMetricsNewestFirst()
    {
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("metrics_app", n.RegisterService("w", "metrics", typeof(MetricsService).FullName!)), output, monitoringInterval: TimeSpan.FromMilliseconds(50));
        await using var client = await server.ConnectAsync("/narvi/w/metrics_app/m1/connect");

        JsonNode admin;
        do
        {
            admin = JsonNode.Parse(await client.ReceiveTextAsync())!;
        }
        while (admin["w"]!["metrics"]!["instances"]!["m1"]![0]!["metrics"]!.AsArray().Count < 3);

        var service = admin["w"]!["metrics"]!;
        service["apps"]!.ToJsonString().Should().Be("""[{"app_name":"metrics_app"}]""");
        var instance = service["instances"]!["m1"]!.AsArray().Should().ContainSingle().Subject!;
        instance["uptime"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(0);
        instance["sessions"]![client.SessionId]!["app_name"]!.GetValue<string>().Should().Be("metrics_app");
        instance["metrics_metadata"]!.ToJsonString().Should().Be("""{"polls":{"min":0,"max":100,"colour":"red"}}""");
        var samples = instance["metrics"]!.AsArray();
        samples[0]![0]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(samples[1]![0]!.GetValue<double>(), "newest first");
        samples[0]![1]!["polls"]!.GetValue<double>().Should().BeGreaterThan(samples[1]![1]!["polls"]!.GetValue<double>());
    }

    [Fact]
    public async Task Retention_BoundsTheHistory_AndNullRetentionKeepsAll()
    {
        await using var bounded = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("m", n.RegisterService("w", "m", typeof(MetricsService).FullName!, fixedServiceId: "x")), output,
            monitoringInterval: TimeSpan.FromMilliseconds(20), monitoringRetention: TimeSpan.FromMilliseconds(100));
        await using var unbounded = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("m", n.RegisterService("w", "m", typeof(MetricsService).FullName!, fixedServiceId: "x")), output,
            monitoringInterval: TimeSpan.FromMilliseconds(20));

        await Task.WhenAll(WaitForTicksAsync(bounded.Server.Registry, 20), WaitForTicksAsync(unbounded.Server.Registry, 20)).DefaultTimeout();

        var key = bounded.Server.Registry.Instances.Single().Key;
        var boundedSamples = bounded.Server.Registry.Metrics.Count(key);
        boundedSamples.Should().BeInRange(1, 10, "about 100 ms / 20 ms samples are kept");
        var unboundedSamples = unbounded.Server.Registry.Metrics.Count(unbounded.Server.Registry.Instances.Single().Key);
        unboundedSamples.Should().BeGreaterThanOrEqualTo(20, "null retention keeps every sample (Narvi crashes here)");
    }

    [Fact]
    public async Task StoppedInstances_LeaveTheAdminJson()
    {
        await using var server = await NarviTestServer.StartAsync(n =>
            n.RegisterApp("m", n.RegisterService("w", "m", typeof(MetricsService).FullName!)), output, adminPath: "/admin", monitoringInterval: TimeSpan.FromMilliseconds(20));
        await server.Server.StartServiceAsync("w", "m", "gone").DefaultTimeout();
        await WaitForTicksAsync(server.Server.Registry, 2).DefaultTimeout();
        server.Server.GetServiceStatuses("w")["m"]!["instances"]!["gone"].Should().NotBeNull();

        await server.Server.StopServiceAsync("w", "m", "gone").DefaultTimeout();
        await WaitForTicksAsync(server.Server.Registry, 2).DefaultTimeout();

        server.Server.GetServiceStatuses("w").ContainsKey("m").Should().BeFalse("statuses list running services only");
        using var client = server.CreateClient();
        var admin = JsonNode.Parse(await client.GetStringAsync("/admin").DefaultTimeout())!;
        admin["w"]!["m"]!["instances"]!.AsObject().Should().BeEmpty();
        server.Server.Registry.Metrics.Count(new Sessions.InstanceKey("w", "m", "gone")).Should().Be(0);
    }

    private static Task WaitForTicksAsync(AppServiceRegistry registry, int count)
    {
        var monitor = registry.Monitor!;
        var target = monitor.Ticks + count;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.Ticked += tick =>
        {
            if (tick >= target)
            {
                reached.TrySetResult();
            }
        };
        return reached.Task;
    }
}
