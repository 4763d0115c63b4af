using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class ParityConfigTests
{
    [Fact]
    public void Parse_ReadinessKeys_AreRead()
    {
        var servers = ProxyHostConfigReader.Parse("""
            {"servers": {
              "a": {"command": ["a"], "ready_check_path": "/api/status", "ready_status": "2xx"},
              "b": {"command": ["b"], "ready_status": [200, "300-399"]},
              "c": {"command": ["c"]}
            }}
            """, "t.json").Servers;

        servers[0].ReadyCheckPath.Should().Be("/api/status");
        servers[0].ReadyStatus.Should().Equal("2xx");
        servers[1].ReadyStatus.Should().Equal("200", "300-399");
        servers[2].ReadyCheckPath.Should().Be("/");
        servers[2].ReadyStatus.Should().BeEmpty();
    }

    [Fact]
    public void Parse_BadReadinessValues_AreLocatedErrors()
    {
        var parse = () => ProxyHostConfigReader.Parse("""
            {"servers": {"a": {"command": ["a"], "ready_check_path": "health", "ready_status": [200, "6xx", true]}}}
            """, "t.json");

        var errors = parse.Should().Throw<ConfigValidationException>().Which.Errors;
        errors.Select(e => e.Location).Should().BeEquivalentTo(
            ["servers.a.ready_check_path", "servers.a.ready_status[1]", "servers.a.ready_status[2]"]);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(204, true)]
    [InlineData(302, true)]
    [InlineData(404, false)]
    [InlineData(503, false)]
    public void ReadyStatus_ClassesAndRanges_Match(int status, bool expected)
    {
        ReadyStatus.Matches(["2xx", "300-303"], status).Should().Be(expected);
    }

    [Fact]
    public void ReadyStatus_NoPatterns_MatchesAnyStatus()
    {
        ReadyStatus.Matches([], 500).Should().BeTrue();
    }

    [Fact]
    public void Parse_Plugins_StringOrListOfFolders()
    {
        ProxyHostConfigReader.Parse("""{"plugins": "plugins"}""", "t.json").PluginDirectories.Should().Equal("plugins");
        ProxyHostConfigReader.Parse("""{"plugins": ["a", "/b"]}""", "t.json").PluginDirectories.Should().Equal("a", "/b");

        var parse = () => ProxyHostConfigReader.Parse("""{"plugins": ["a", 1]}""", "t.json");

        parse.Should().Throw<ConfigValidationException>().Which.Errors.Single().Location.Should().Be("plugins[1]");
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("db.example.internal", true)]
    [InlineData("example.internal", false)]
    [InlineData("evil-example.internal", false)]
    [InlineData("10.example.internal.evil", false)]
    public void HostAllowlist_NamesWildcardsAndCidr_Match(string host, bool expected)
    {
        HostAllowlist.Matches(["localhost", "10.0.0.0/8", "*.example.internal"], host).Should().Be(expected);
    }

    [Fact]
    public void Parse_HostAllowlist_IsReadAndValidated()
    {
        ProxyHostConfigReader.Parse("""{"host_allowlist": ["a", "*.b", "10.0.0.0/8"]}""", "t.json").HostAllowlist
            .Should().Equal("a", "*.b", "10.0.0.0/8");
        ProxyHostConfigReader.Parse("{}", "t.json").HostAllowlist.Should().BeNull();

        var parse = () => ProxyHostConfigReader.Parse("""{"host_allowlist": ["ok", "10.0.0.0/99", "a*b", 3]}""", "t.json");

        parse.Should().Throw<ConfigValidationException>().Which.Errors.Select(e => e.Location)
            .Should().Equal("host_allowlist[1]", "host_allowlist[2]", "host_allowlist[3]");
    }
}

public sealed class ServerProcessCallbacksTests
{
    private static readonly ServerProcessContext Context = new()
    {
        ServerName = "app",
        Port = 8123,
        UnixSocket = null,
        BaseUrl = "/b/",
    };

    [Fact]
    public async Task Adapt_AskedArgs_ReceiveTheirValues()
    {
        var adapted = ServerProcessCallbacks.Adapt<IReadOnlyList<string>>((string base_url, int port, string unix_socket, string serverName) =>
            new[] { base_url, port.ToString(System.Globalization.CultureInfo.InvariantCulture), unix_socket, serverName });

        (await adapted(Context)).Should().Equal("/b/", "8123", "", "app");
    }

    [Fact]
    public async Task Adapt_TaskAndValueTaskResults_AreAwaited()
    {
        var fromTask = ServerProcessCallbacks.Adapt<IReadOnlyDictionary<string, string>>(
            async (ServerProcessContext c) => { await Task.Yield(); return new Dictionary<string, string> { ["a"] = c.ServerName }; });
        var fromValueTask = ServerProcessCallbacks.Adapt<IReadOnlyDictionary<string, string>>(
            (int port) => ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["p"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        (await fromTask(Context))["a"].Should().Be("app");
        (await fromValueTask(Context))["p"].Should().Be("8123");
    }

    [Fact]
    public void Adapt_UnknownParameter_ThrowsAtOnceNamingIt()
    {
        var adapt = () => ServerProcessCallbacks.Adapt<IReadOnlyList<string>>((string host) => new[] { host });

        adapt.Should().Throw<ArgumentException>().WithMessage("*'String host'*port*unix_socket*base_url*");
    }

    [Fact]
    public async Task Adapt_WrongResultType_FailsWithClearMessage()
    {
        var adapted = ServerProcessCallbacks.Adapt<IReadOnlyList<string>>(() => 42);

        var run = async () => await adapted(Context);

        await run.Should().ThrowAsync<InvalidOperationException>().WithMessage("*Int32*IReadOnlyList*");
    }
}
