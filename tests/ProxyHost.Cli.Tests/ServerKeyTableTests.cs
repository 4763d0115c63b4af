using System.Text;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Tests;

/// <summary>
/// The reader, the writer and <c>proxyhost add</c> know the same <c>servers.NAME</c> keys
/// (<see cref="ServerKeys"/>): every key can be set from the command line, is written, and reads back.
/// </summary>
public sealed class ServerKeyTableTests : IDisposable
{
    // Each key and the add options that set it to something other than its default.
    private static readonly Dictionary<string, string[]> AddOptionsByKey = new()
    {
        [ServerKeys.Command] = [],
        [ServerKeys.Timeout] = ["--timeout", "30"],
        [ServerKeys.Environment] = ["--env", "MODE=<base_url>"],
        [ServerKeys.AbsoluteUrl] = ["--absolute-url"],
        [ServerKeys.Port] = ["--port", "8123"],
        [ServerKeys.UnixSocket] = ["--unix-socket", "/tmp/tool.sock"],
        [ServerKeys.MapPath] = ["--mappath", "/=/lab"],
        [ServerKeys.LauncherEntry] = ["--title", "Tool", "--icon", "/tmp/tool.svg", "--category", "Data", "--path-info", "tool/lab", "--no-launcher"],
        [ServerKeys.NewBrowserTab] = ["--no-new-tab"],
        [ServerKeys.RequestHeadersOverride] = ["--header", "X-Prefix=<base_url>"],
        [ServerKeys.UpdateLastActivity] = ["--no-activity"],
        [ServerKeys.RawSocketProxy] = ["--raw-socket"],
        [ServerKeys.WebSocketIdleTimeout] = ["--websocket-idle-timeout", "3600"],
        [ServerKeys.WebSocketPingInterval] = ["--websocket-ping-interval", "30"],
        [ServerKeys.IdleTimeout] = ["--idle-timeout", "900"],
        [ServerKeys.MaxRequestBodySize] = ["--max-request-body-size", "1048576"],
        [ServerKeys.ReadyCheckPath] = ["--ready-check-path", "/api/status"],
        [ServerKeys.ReadyStatus] = ["--ready-status", "2xx", "--ready-status", "302"],
        [ServerKeys.Limits] = ["--memory", "1.5G", "--cpu", "1.5", "--processes", "200", "--open-files", "4096"],
    };

    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void TheTableOfThisTest_CoversEveryKey() => AddOptionsByKey.Keys.Should().BeEquivalentTo(ServerKeys.All);

    [Theory]
    [InlineData(ServerKeys.Port)]
    [InlineData(ServerKeys.UnixSocket)]
    public async Task Add_SetsEveryKey_AndTheReaderReadsItBack(string listenKey)
    {
        var otherListenKey = listenKey == ServerKeys.Port ? ServerKeys.UnixSocket : ServerKeys.Port;
        string[] options = [.. AddOptionsByKey.Where(e => e.Key != otherListenKey).SelectMany(e => e.Value)];

        var run = await CliRun.RunAsync(["add", "tool", "--config", _directory.ConfigPath, .. options, "--", "tool", "--port", "<port>"]);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        using var written = JsonDocument.Parse(File.ReadAllText(_directory.ConfigPath));
        var server = written.RootElement.GetProperty("servers").GetProperty("tool");
        server.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(ServerKeys.All.Where(k => k != otherListenKey));
        server.GetProperty(ServerKeys.LauncherEntry).EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(ServerKeys.Launcher.All);
        server.GetProperty(ServerKeys.Limits).EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(ServerKeys.Limit.All);
        _directory.ReadConfig().Servers.Single().Should().Be(Expected(listenKey));
    }

    [Theory]
    [InlineData(ServerKeys.Port)]
    [InlineData(ServerKeys.UnixSocket)]
    public void Writer_WritesEveryKey_ThatTheReaderReadsBackUnchanged(string listenKey)
    {
        var definition = Expected(listenKey);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ServerDefinitionWriter.Encoder }))
        {
            ServerDefinitionWriter.Write(writer, definition);
        }
        using var written = JsonDocument.Parse(buffer.ToArray());
        var errors = new ConfigErrorCollector("test.json");

        var read = ServerDefinitionReader.Read("tool", written.RootElement, "servers.tool", errors);

        errors.Should().BeEmpty(Encoding.UTF8.GetString(buffer.ToArray()));
        read.Should().Be(definition);
        written.RootElement.EnumerateObject().Select(p => p.Name).Should().HaveCount(ServerKeys.All.Count - 1);
    }

    [Theory]
    [InlineData("--idle-timeout", "0", "--idle-timeout: expected a number of seconds greater than 0 (at most 31536000)")]
    [InlineData("--ready-check-path", "api", "--ready-check-path: expected a path starting with '/'")]
    [InlineData("--ready-status", "2zz", "--ready-status: expected a status such as 200")]
    [InlineData("--mappath", "lab=/lab", "--mappath 'lab=/lab': expected FROM=TO, e.g. --mappath /=/lab")]
    [InlineData("--mappath", "/lab=lab", "--mappath '/lab=lab': expected FROM=TO")]
    [InlineData("--memory", "2X", "--memory: expected a size such as \"2G\"")]
    [InlineData("--cpu", "0", "--cpu: expected a number of cores greater than 0")]
    [InlineData("--processes", "-1", "--processes: expected a whole number greater than 0")]
    [InlineData("--open-files", "many", "--open-files: expected a whole number greater than 0")]
    public async Task Add_WrongValue_IsAUsageErrorNamingTheOption_AndWritesNothing(string option, string value, string message)
    {
        var run = await CliRun.RunAsync("add", "tool", "--config", _directory.ConfigPath, option, value, "--", "tool", "<port>");

        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        run.Error.Should().Contain(message);
        File.Exists(_directory.ConfigPath).Should().BeFalse();
    }

    private static ServerProcessDefinition Expected(string listenKey) => new()
    {
        Name = "tool",
        Command = ["tool", "--port", "<port>"],
        Timeout = TimeSpan.FromSeconds(30),
        Environment = new([new("MODE", "<base_url>")]),
        AbsoluteUrl = true,
        Port = listenKey == ServerKeys.Port ? 8123 : 0,
        UnixSocket = listenKey == ServerKeys.UnixSocket ? UnixSocketSetting.AtPath("/tmp/tool.sock") : UnixSocketSetting.None,
        MapPath = new([new("/", "/lab")]),
        LauncherEntry = new LauncherEntry { Enabled = false, Title = "Tool", IconPath = "/tmp/tool.svg", Category = "Data", PathInfo = "tool/lab" },
        NewBrowserTab = false,
        RequestHeadersOverride = new([new("X-Prefix", "<base_url>")]),
        UpdateLastActivity = false,
        RawSocketProxy = true,
        WebSocketIdleTimeout = TimeSpan.FromHours(1),
        WebSocketPingInterval = TimeSpan.FromSeconds(30),
        IdleTimeout = TimeSpan.FromMinutes(15),
        MaxRequestBodySize = 1_048_576,
        ReadyCheckPath = "/api/status",
        ReadyStatus = ["2xx", "302"],
        Limits = new ServerLimits { MemoryBytes = 1536L << 20, Cpus = 1.5, Processes = 200, OpenFiles = 4096 },
    };
}
