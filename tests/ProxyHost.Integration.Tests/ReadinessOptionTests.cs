using System.Globalization;
using System.Net;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary><c>ready_check_path</c> and <c>ready_status</c>: a real 2xx check instead of "any response on /".</summary>
public sealed class ReadinessOptionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ReadyStatus2xxOnHealthPath_FirstRequestWaitsUntilTheAppIsHealthy()
    {
        var definition = Warming("app") with { ReadyCheckPath = "/health", ReadyStatus = new(["2xx"]) };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("app/health").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the first request waits for a 2xx on /health");
    }

    [Fact]
    public async Task DefaultReadiness_AnyResponseOnRootCounts_SoTheFirstRequestCanSeeAWarmingApp()
    {
        // A warm-up far longer than any start-up, so the first request surely arrives while the app still warms.
        await using var host = await TestProxyHost.StartAsync([Warming("app", warmup: 60_000)], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("app/health").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "jupyter-server-proxy's rule: '/' answered, so it is ready");
    }

    [Fact]
    public async Task ReadyStatusNeverMatched_RequestFailsWith503AfterTimeout()
    {
        var definition = Warming("app") with
        {
            ReadyCheckPath = "/missing",
            ReadyStatus = new(["200"]),
            Timeout = TimeSpan.FromSeconds(2),
        };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("app/").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    private static ServerProcessDefinition Warming(string name, int warmup = 1500) => new()
    {
        Name = name,
        Command = new(DummyProgram.Argv("http", "--port", "<port>", "--warmup-ms", warmup.ToString(CultureInfo.InvariantCulture))),
        Timeout = TimeSpan.FromSeconds(30),
    };
}
