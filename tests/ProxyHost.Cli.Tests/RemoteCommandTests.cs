using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>status</c>, <c>start</c>, <c>stop</c> and <c>restart</c> against a real running host with real processes.</summary>
public sealed partial class RemoteCommandTests : IAsyncLifetime
{
    private const string Token = "remote-token";
    private WebApplication _host = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var options = new ProxyHostOptions { Address = IPAddress.Loopback, Port = 0, Token = Token };
        _host = ProxyHostApplication.Create(options, configure: (builder, proxyHost) =>
        {
            builder.Logging.ClearProviders();
            builder.Services.Configure<SupervisionOptions>(o => o.ResourceSampleInterval = TimeSpan.FromMilliseconds(100));
            proxyHost.AddServerProcess(new ServerProcessDefinition
            {
                Name = "app", Command = DummyProgram.Argv("http", "--port", "<port>"), Timeout = TimeSpan.FromSeconds(20),
            });
        });
        await _host.StartAsync();
        _url = ListeningAddress.Of(_host.Services).ToString();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Status_PrintsTableOfServers()
    {
        var run = await CliRun.RunAsync("status", "--url", _url, "--token", Token);

        run.ExitCode.Should().Be(0, run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex("^NAME +STATE +PID +PORT/SOCKET +MEM +CPU +UPTIME +RESTARTS +LAST ACTIVITY$");
        lines[1].Should().MatchRegex("^app +not started +- +- +- +- +- +0 +never$");
    }

    [Fact]
    public async Task Status_ShowsWhatARunningServerUses()
    {
        (await CliRun.RunAsync("start", "app", "--url", _url, "--token", Token)).ExitCode.Should().Be(0);

        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        string row;
        do
        {
            row = (await CliRun.RunAsync("status", "--url", _url, "--token", Token)).Out.Split('\n')[1];
        }
        while (!CpuSampled().IsMatch(row) && DateTime.UtcNow < deadline && await Task.Delay(100).ContinueWith(_ => true));

        row.Should().MatchRegex(@"^app +running +\d+ +\d+ +[0-9.]+ MiB +[0-9.]+% ");
    }

    [Fact]
    public async Task StartStopRestart_ChangeTheRealProcess()
    {
        var start = await CliRun.RunAsync("start", "app", "--url", _url, "--token", Token);
        start.ExitCode.Should().Be(0, start.Error);
        start.Out.Should().MatchRegex(@"^app: running \(pid \d+, port \d+\)\s*$");
        var pid = int.Parse(start.Out.Split("pid ")[1].Split(',')[0]);
        ProcessChecks.IsAlive(pid).Should().BeTrue();
        (await CliRun.RunAsync("status", "--url", _url, "--token", Token)).Out.Should().MatchRegex($@"app +running +{pid} +\d+ +(-|[0-9.]+ (bytes|KiB|MiB|GiB)) +(-|[0-9.]+%) +\d+s +0 ");

        var stop = await CliRun.RunAsync("stop", "app", "--url", _url, "--token", Token);
        stop.Out.Should().Be("app: stopped" + Environment.NewLine);
        ProcessChecks.IsAlive(pid).Should().BeFalse();

        var restart = await CliRun.RunAsync("restart", "app", "--url", $"{_url}?token={Token}");
        restart.ExitCode.Should().Be(0, restart.Error);
        restart.Out.Should().StartWith("app: running (pid ").And.NotContain($"pid {pid},");
    }

    [Fact]
    public async Task Start_UnknownServer_ExitsServerNotFound()
    {
        var run = await CliRun.RunAsync("start", "nope", "--url", _url, "--token", Token);

        run.ExitCode.Should().Be(ExitCodes.ServerNotFound);
        run.Error.Should().Be("proxyhost: error: no server named 'nope'" + Environment.NewLine);
    }

    [Fact]
    public async Task Status_WrongToken_SaysSoInOneLine()
    {
        var run = await CliRun.RunAsync("status", "--url", _url, "--token", "wrong");

        run.ExitCode.Should().Be(ExitCodes.UnexpectedError);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("refused the token");
    }

    [Fact]
    public async Task Status_NothingListening_SaysCannotReach()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var run = await CliRun.RunAsync("status", "--url", $"http://127.0.0.1:{port}/");

        run.ExitCode.Should().Be(ExitCodes.UnexpectedError);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith($"proxyhost: error: cannot reach ProxyHost at http://127.0.0.1:{port}/");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" [0-9.]+% ")]
    private static partial System.Text.RegularExpressions.Regex CpuSampled();
}
