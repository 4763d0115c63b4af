using System.Net.Http.Headers;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_ShutdownNoActivityTimeout_StopsProcessesAndExitsZero()
    {
        var pidFile = Path.Combine(_directory.Path, "tree.pid");
        var config = WriteConfig(new { servers = new { app = new { command = DummyProgram.Argv("http", "--port", "<port>", "--spawn-child", pidFile) } } });
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token", "--shutdown-no-activity-timeout", "4");

        var url = await ReadListeningUrlAsync(serve);
        using var client = new HttpClient { BaseAddress = new Uri(url.Split('?')[0]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "secret-token");
        (await client.GetStringAsync("app/").DefaultTimeout()).Should().Contain("dummy ok");
        var pids = await ProcessChecks.ReadPidFileAsync(pidFile, 2);

        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().Be(0);
        foreach (var pid in pids)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} must not outlive proxyhost serve");
        }
    }
}
