using FluentAssertions;

namespace ProxyHost.Cli.Tests;

public sealed class AddListenAddressHintTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Add_CommandWithoutPortPlaceholder_WritesTheServerAndHintsAtThePortFlag()
    {
        var run = await CliRun.RunAsync("add", "files", "--config", _directory.ConfigPath, "--", "python3", "-m", "http.server");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Out.Should().StartWith("Added server 'files'");
        run.ErrorLines.Should().ContainSingle().Which.Should()
            .StartWith("proxyhost: hint: the command of 'files' never uses <port>").And.Contain("--port PORT");
        _directory.ReadConfig().Servers.Single().Command.Should().Equal("python3", "-m", "http.server");
    }

    [Fact]
    public async Task Add_PrivateUnixSocketWithoutSocketPlaceholder_HintsAtTheSocketFlag()
    {
        var run = await CliRun.RunAsync("add", "code", "--config", _directory.ConfigPath, "--unix-socket", "--", "code-server", "--port", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("never uses <unix_socket>");
    }

    [Theory]
    [InlineData("--", "tool", "--port", "<port>")]
    [InlineData("--", "tool", "--port={port}")]
    [InlineData("-e", "PORT=<port>", "--", "tool")]
    [InlineData("--port", "8123", "--", "tool")]
    [InlineData("--unix-socket", "--", "tool", "--socket", "<unix_socket>")]
    [InlineData("--unix-socket", "/run/tool.sock", "--", "tool")]
    [InlineData("--port", "8123")]
    public async Task Add_ToolThatKnowsWhereToListen_GetsNoHint(params string[] rest)
    {
        var run = await CliRun.RunAsync(["add", "tool", "--config", _directory.ConfigPath, .. rest]);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        run.Error.Should().BeEmpty();
    }
}
