using FluentAssertions;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Tests;

public sealed class AddCommandTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Add_NewFile_CreatesConfigAndPrintsOneLine()
    {
        var run = await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--", "jupyter", "lab", "--port", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Error.Should().BeEmpty();
        run.Out.Should().Be($"Added server 'lab' to {_directory.ConfigPath} (served at <base_url>lab/){Environment.NewLine}");
        var server = _directory.ReadConfig().Servers.Should().ContainSingle().Subject;
        server.Name.Should().Be("lab");
        server.Command.Should().Equal("jupyter", "lab", "--port", "<port>");
    }

    [Fact]
    public async Task Add_CommandAfterDoubleDash_KeepsDashWordsVerbatim()
    {
        string[] command = ["tool", "-h", "--port", "<port>", "-x", "--", "a b", "--help", "-"];

        var run = await CliRun.RunAsync(["add", "tool", "--config", _directory.ConfigPath, "--", .. command]);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        _directory.ReadConfig().Servers.Single().Command.Should().Equal(command);
    }

    [Fact]
    public async Task Add_EveryOption_RoundTripsThroughTheReader()
    {
        var socket = _directory.Combine("tool.sock");
        var icon = _directory.Combine("icon.svg");

        var run = await CliRun.RunAsync(
            "add", "tool", "--config", _directory.ConfigPath, "--timeout", "12.5", "--unix-socket", socket, "--absolute-url",
            "--env", "A=1", "--env", "B=x=y", "--header", "X-Prefix=<base_url>", "--title", "My Tool", "--icon", icon,
            "--category", "Tools", "--raw-socket", "--no-new-tab", "--", "tool", "--socket", "<unix_socket>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        var server = _directory.ReadConfig().Servers.Single();
        server.Timeout.Should().Be(TimeSpan.FromSeconds(12.5));
        server.UnixSocket.Should().Be(UnixSocketSetting.AtPath(socket));
        server.AbsoluteUrl.Should().BeTrue();
        server.Environment.Should().Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y" });
        server.RequestHeadersOverride.Should().Equal(new Dictionary<string, string> { ["X-Prefix"] = "<base_url>" });
        server.LauncherEntry.Should().Be(new LauncherEntry { Title = "My Tool", IconPath = icon, Category = "Tools" });
        server.RawSocketProxy.Should().BeTrue();
        server.NewBrowserTab.Should().BeFalse();
    }

    [Fact]
    public async Task Add_DefaultsOnly_WritesOnlyTheCommand()
    {
        await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--", "lab", "<port>");

        File.ReadAllText(_directory.ConfigPath).Should().Be(
            "{\n  \"servers\": {\n    \"lab\": {\n      \"command\": [\"lab\", \"<port>\"]\n    }\n  }\n}\n");
    }

    [Fact]
    public async Task Add_BareUnixSocketAndNoLauncher_WritesTrueAndDisabledEntry()
    {
        var run = await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--unix-socket", "--no-launcher", "--", "lab", "<unix_socket>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        var server = _directory.ReadConfig().Servers.Single();
        server.UnixSocket.Should().Be(UnixSocketSetting.PrivateDirectory);
        server.LauncherEntry.Enabled.Should().BeFalse();
    }

    [Fact]
    public async Task Add_PortWithoutCommand_ProxiesARunningServer()
    {
        var run = await CliRun.RunAsync("add", "running", "--config", _directory.ConfigPath, "--port", "8080");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        var server = _directory.ReadConfig().Servers.Single();
        server.IsManaged.Should().BeFalse();
        server.Port.Should().Be(8080);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Add_NewFile_IsReadableByItsOwnerOnly()
    {
        var run = await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--env", "TOKEN=secret", "--", "lab", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        File.GetUnixFileMode(_directory.ConfigPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Add_ExistingFile_KeepsItsModeExactly(UnixFileMode mode)
    {
        File.WriteAllText(_directory.ConfigPath, "{}");
        File.SetUnixFileMode(_directory.ConfigPath, mode);

        var run = await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--", "lab", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        File.GetUnixFileMode(_directory.ConfigPath).Should().Be(mode);
        _directory.ReadConfig().Servers.Should().ContainSingle();
    }

    [Fact]
    public async Task Add_ExistingNameWithoutReplace_FailsAndLeavesFileByteIdentical()
    {
        await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--", "first");
        var before = File.ReadAllBytes(_directory.ConfigPath);

        var run = await CliRun.RunAsync("add", "LAB", "--config", _directory.ConfigPath, "--", "second");

        run.ExitCode.Should().Be(ExitCodes.ServerExists);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("'lab'").And.Contain("--replace");
        File.ReadAllBytes(_directory.ConfigPath).Should().Equal(before);
    }

    [Fact]
    public async Task Add_ExistingNameWithReplace_ReplacesTheEntry()
    {
        await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--port", "9000", "--", "first");
        await CliRun.RunAsync("add", "other", "--config", _directory.ConfigPath, "--", "other");

        var run = await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--replace", "--", "second", "<port>");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        run.Out.Should().StartWith($"Replaced server 'lab' in {_directory.ConfigPath}");
        var servers = _directory.ReadConfig().Servers;
        servers.Select(s => s.Name).Should().Equal("lab", "other");
        servers[0].Command.Should().Equal("second", "<port>");
        servers[0].Port.Should().Be(0);
    }

    [Fact]
    public async Task Add_MaxRequestBodySize_IsWrittenAndReadBack()
    {
        var run = await CliRun.RunAsync("add", "--config", _directory.ConfigPath, "upload", "--max-request-body-size", "104857600", "--", "tool", "<port>");

        run.ExitCode.Should().Be(0, run.Error);
        _directory.ReadConfig().Servers.Single().MaxRequestBodySize.Should().Be(104_857_600);
        File.ReadAllText(_directory.ConfigPath).Should().Contain("\"max_request_body_size\": 104857600");
    }

    [Theory]
    [InlineData("NAME", "add", "api", "--", "x")]
    [InlineData("NAME", "add", "bad/name", "--", "x")]
    [InlineData("'<prot>'", "add", "lab", "--", "tool", "<prot>")]
    [InlineData("--env", "add", "lab", "--env", "NOEQUALS", "--", "x")]
    [InlineData("--env", "add", "lab", "--env", "=value", "--", "x")]
    [InlineData("--env", "add", "lab", "--env", "A=<prot>", "--", "x")]
    [InlineData("--header", "add", "lab", "--header", "Bad Header=x", "--", "x")]
    [InlineData("--port", "add", "lab", "--port", "70000", "--", "x")]
    [InlineData("--port", "add", "lab", "--port", "abc", "--", "x")]
    [InlineData("--timeout", "add", "lab", "--timeout", "0", "--", "x")]
    [InlineData("--timeout", "add", "lab", "--timeout", "soon", "--", "x")]
    [InlineData("--max-request-body-size", "add", "lab", "--max-request-body-size", "0", "--", "x")]
    [InlineData("--max-request-body-size", "add", "lab", "--max-request-body-size", "big", "--", "x")]
    [InlineData("COMMAND", "add", "lab")]
    [InlineData("COMMAND", "add", "lab", "--unix-socket")]
    [InlineData("--unix-socket", "add", "lab", "--port", "80", "--unix-socket", "/tmp/x.sock")]
    [InlineData("--bogus", "add", "lab", "--bogus", "--", "x")]
    [InlineData("'B=2'", "add", "lab", "--env", "A=1", "B=2", "--", "x")]
    [InlineData("'jupyter'", "add", "lab", "jupyter", "lab")]
    [InlineData("NAME: 'lab\\n' is not a valid server name", "add", "lab\n", "--", "x")]
    public async Task Add_InvalidArgument_PrintsOneLineNamingItAndWritesNothing(string named, params string[] args)
    {
        var run = await CliRun.RunAsync([args[0], "--config", _directory.ConfigPath, .. args[1..]]);

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("proxyhost: error: ").And.Contain(named);
        File.Exists(_directory.ConfigPath).Should().BeFalse();
    }

    [Fact]
    public async Task Add_MissingName_PrintsOneLineWithoutStackTrace()
    {
        var run = await CliRun.RunAsync("add");

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.ErrorLines.Should().ContainSingle().Which.Should().StartWith("proxyhost: error: ").And.Contain("add --help");
    }

    [Fact]
    public async Task Run_UnknownVerb_NamesItInOneLine()
    {
        var run = await CliRun.RunAsync("bogus");

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.ErrorLines.Should().ContainSingle().Which.Should().Be("proxyhost: error: unrecognized command or argument 'bogus' (see 'proxyhost --help')");
    }

    [Fact]
    public async Task Add_Help_PrintsUsageToStdout()
    {
        var run = await CliRun.RunAsync("add", "--help");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Out.Should().Contain(" add <NAME> [<COMMAND>...] [options]").And.Contain("--replace").And.Contain("--unix-socket");
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("list")]
    public async Task Help_OtherVerbs_PrintUsage(string verb)
    {
        var run = await CliRun.RunAsync(verb, "--help");

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Out.Should().Contain($" {verb} ").And.Contain("--config");
    }
}
