using System.Text.Json.Nodes;
using FluentAssertions;

namespace ProxyHost.Cli.Tests;

public sealed class LauncherCommandTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Launcher_Config_PrintsServersInfoWithIconUrlUnderBaseUrl()
    {
        await File.WriteAllTextAsync(_directory.ConfigPath, """
            {"servers": {
              "lab": {"command": ["lab", "<port>"], "launcher_entry": {"title": "Lab", "icon_path": "/icons/lab.svg"}},
              "web": {"port": 8080, "new_browser_tab": false}
            }}
            """);

        var run = await CliRun.RunAsync("launcher", "--config", _directory.ConfigPath, "--base-url", "/user/ana");

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        var expected = JsonNode.Parse("""
            {"server_processes": [
              {"name": "lab", "launcher_entry": {"enabled": true, "title": "Lab", "path_info": "lab/", "category": "Notebook",
                                                 "icon_url": "/user/ana/server-proxy/icon/lab"}, "new_browser_tab": true},
              {"name": "web", "launcher_entry": {"enabled": true, "title": "web", "path_info": "web/", "category": "Notebook"},
               "new_browser_tab": false}
            ]}
            """);
        JsonNode.DeepEquals(JsonNode.Parse(run.Out), expected).Should().BeTrue(run.Out);
    }

    [Fact]
    public async Task Launcher_NoConfigFile_PrintsEmptyList()
    {
        var run = await CliRun.RunAsync("launcher", "--config", _directory.ConfigPath);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        JsonNode.DeepEquals(JsonNode.Parse(run.Out), JsonNode.Parse("""{"server_processes": []}""")).Should().BeTrue(run.Out);
    }
}
