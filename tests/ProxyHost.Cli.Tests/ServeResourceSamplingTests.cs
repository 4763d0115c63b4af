using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>serve --resource-sample-interval</c>: how often running servers are sampled, or never.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_ResourceSampleInterval_SetsHowOftenRunningServersAreSampled()
    {
        var config = WriteConfig(new { servers = new { app = new { command = DummyProgram.Argv("http", "--port", "<port>") } } });
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "t", "--resource-sample-interval", "0.2");
        using var client = new HttpClient { BaseAddress = new Uri((await ReadListeningUrlAsync(serve)).Split('?')[0]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "t");
        await client.GetStringAsync("app/").DefaultTimeout();

        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        JsonNode? resources;
        do
        {
            resources = JsonNode.Parse(await client.GetStringAsync("api/servers/app").DefaultTimeout())!["resources"];
        }
        while (resources is null && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));

        ((long?)resources?["memory_bytes"]).Should().BeGreaterThan(0);
        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("3601")]
    public async Task Serve_ResourceSampleIntervalOutOfRange_IsAUsageError(string seconds)
    {
        var run = await CliRun.RunAsync("serve", "--port", "0", "--config", WriteConfig(new { servers = new { } }), "--resource-sample-interval", seconds);

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.Error.Should().Contain($"--resource-sample-interval: {seconds} is not a number of seconds from 0 (off) to 3600");
    }
}
