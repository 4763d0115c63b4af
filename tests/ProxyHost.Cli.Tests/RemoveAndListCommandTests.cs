using System.Text.Json;
using FluentAssertions;

namespace ProxyHost.Cli.Tests;

public sealed class RemoveAndListCommandTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddListRemove_RoundTrip_EachStepSeesTheFile()
    {
        (await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--title", "Lab", "--", "jupyter", "lab", "--port", "<port>")).ExitCode.Should().Be(0);
        (await CliRun.RunAsync("add", "web", "--config", _directory.ConfigPath, "--port", "8080")).ExitCode.Should().Be(0);

        var list = await CliRun.RunAsync("list", "--config", _directory.ConfigPath);

        list.ExitCode.Should().Be(ExitCodes.Success);
        var lines = list.Out.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3);
        lines[0].Should().MatchRegex("^NAME +COMMAND +LISTENS ON +LAUNCHER$");
        lines[1].Should().MatchRegex("^lab +jupyter lab --port <port> +free port +Lab$");
        lines[2].Should().MatchRegex(@"^web +\(already running\) +port 8080 +web$");

        var remove = await CliRun.RunAsync("remove", "lab", "--config", _directory.ConfigPath);

        remove.ExitCode.Should().Be(ExitCodes.Success, remove.Error);
        remove.Out.Should().Be($"Removed server 'lab' from {_directory.ConfigPath}{Environment.NewLine}");
        _directory.ReadConfig().Servers.Select(s => s.Name).Should().Equal("web");
        (await CliRun.RunAsync("remove", "web", "--config", _directory.ConfigPath)).ExitCode.Should().Be(0);
        _directory.ReadConfig().Servers.Should().BeEmpty();
    }

    [Fact]
    public async Task Remove_UnknownName_ListsKnownNamesAndKeepsFile()
    {
        await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--", "lab");
        await CliRun.RunAsync("add", "web", "--config", _directory.ConfigPath, "--", "web");
        var before = File.ReadAllBytes(_directory.ConfigPath);

        var run = await CliRun.RunAsync("remove", "nope", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.ServerNotFound);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("'nope'").And.Contain("lab, web");
        File.ReadAllBytes(_directory.ConfigPath).Should().Equal(before);
    }

    [Fact]
    public async Task Remove_MissingFile_FailsWithoutCreatingIt()
    {
        var run = await CliRun.RunAsync("remove", "lab", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.ServerNotFound);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain("does not exist");
        File.Exists(_directory.ConfigPath).Should().BeFalse();
    }

    [Fact]
    public async Task Remove_NameInOtherCase_RemovesTheEntry()
    {
        await CliRun.RunAsync("add", "Lab", "--config", _directory.ConfigPath, "--", "lab");

        var run = await CliRun.RunAsync("remove", "lab", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        _directory.ReadConfig().Servers.Should().BeEmpty();
    }

    [Fact]
    public async Task ListJson_Servers_PrintsParseableJson()
    {
        await CliRun.RunAsync("add", "lab", "--config", _directory.ConfigPath, "--title", "Jupyter <Lab> & co", "--", "jupyter", "lab", "--port", "<port>");
        await CliRun.RunAsync("add", "sock", "--config", _directory.ConfigPath, "--unix-socket", "--no-launcher", "--", "s", "<unix_socket>");

        var run = await CliRun.RunAsync("list", "--json", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.Success);
        run.Error.Should().BeEmpty();
        using var document = JsonDocument.Parse(run.Out);
        var root = document.RootElement;
        root.GetProperty("config").GetString().Should().Be(_directory.ConfigPath);
        var servers = root.GetProperty("servers").EnumerateArray().ToList();
        servers.Select(s => s.GetProperty("name").GetString()).Should().Equal("lab", "sock");
        servers[0].GetProperty("command").EnumerateArray().Select(e => e.GetString()).Should().Equal("jupyter", "lab", "--port", "<port>");
        servers[0].GetProperty("launcher_entry").GetProperty("title").GetString().Should().Be("Jupyter <Lab> & co");
        servers[1].GetProperty("unix_socket").GetBoolean().Should().BeTrue();
        servers[1].GetProperty("launcher_entry").GetProperty("enabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task ListJson_MissingFile_PrintsEmptyServers()
    {
        var run = await CliRun.RunAsync("list", "--json", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.Success);
        using var document = JsonDocument.Parse(run.Out);
        document.RootElement.GetProperty("exists").GetBoolean().Should().BeFalse();
        document.RootElement.GetProperty("servers").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task List_InvalidFile_PrintsLocatedErrorsOnePerLine()
    {
        File.WriteAllText(_directory.ConfigPath, """{"servers": {"lab": {"command": "lab", "colour": 1}}}""");

        var run = await CliRun.RunAsync("list", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.InvalidConfig);
        run.Out.Should().BeEmpty();
        run.ErrorLines.Should().HaveCountGreaterThanOrEqualTo(2)
            .And.AllSatisfy(line => line.Should().StartWith(_directory.ConfigPath + ": servers.lab"));
        run.Error.Should().Contain("servers.lab.colour: unknown key").And.NotContain("   at ");
    }

    [Fact]
    public void ConfigPath_Resolution_PrefersOptionThenEnvironmentThenCurrentDirectory()
    {
        var cwd = _directory.Path;
        string? Unset(string _) => null;
        string? Set(string name) => name == "PROXYHOST_CONFIG" ? "from-env.json" : null;

        ConfigPathOption.Resolve("given.json", Set, cwd).Should().Be(_directory.Combine("given.json"));
        ConfigPathOption.Resolve(null, Set, cwd).Should().Be(_directory.Combine("from-env.json"));
        ConfigPathOption.Resolve(null, Unset, cwd).Should().Be(_directory.Combine("proxyhost.json"));
    }
}
