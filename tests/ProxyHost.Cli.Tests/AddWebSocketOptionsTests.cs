using FluentAssertions;

namespace ProxyHost.Cli.Tests;

public sealed class AddWebSocketOptionsTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Add_WebSocketOptions_AreWrittenInSeconds()
    {
        var run = await CliRun.RunAsync(
            "add", "vnc", "--config", _directory.ConfigPath, "--raw-socket", "--websocket-idle-timeout", "3600",
            "--websocket-ping-interval", "30", "--", "x11vnc", "-rfbport", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        var server = _directory.ReadConfig().Servers.Single();
        server.WebSocketIdleTimeout.Should().Be(TimeSpan.FromHours(1));
        server.WebSocketPingInterval.Should().Be(TimeSpan.FromSeconds(30));
        File.ReadAllText(_directory.ConfigPath).Should().Contain("\"websocket_idle_timeout\": 3600").And.Contain("\"websocket_ping_interval\": 30");
    }

    [Fact]
    public async Task Add_BadWebSocketSeconds_IsAUsageErrorNamingTheOption()
    {
        var run = await CliRun.RunAsync("add", "vnc", "--config", _directory.ConfigPath, "--websocket-ping-interval", "soon", "--", "x");

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.Error.Should().Contain("--websocket-ping-interval: expected a number of seconds greater than 0");
        File.Exists(_directory.ConfigPath).Should().BeFalse();
    }
}
