using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class ProxyHostConfigReaderTests
{
    [Fact]
    public void Parse_EveryKey_IsRead()
    {
        var configuration = ProxyHostConfigReader.Parse("""
            {
              // comments and trailing commas are allowed
              "servers": {
                "lab": {
                  "command": ["jupyter", "lab", "--port={port}"],
                  "timeout": 12.5,
                  "environment": {"A": "<port>", "N": 3},
                  "absolute_url": true,
                  "port": 9000,
                  "mappath": {"/": "/lab"},
                  "launcher_entry": {"enabled": false, "icon_path": "/i.svg", "title": "Lab", "path_info": "lab/tree", "category": "Tools"},
                  "new_browser_tab": false,
                  "request_headers_override": {"X-Token": "abc"},
                  "update_last_activity": false,
                  "raw_socket_proxy": true,
                },
                "sock": {"command": ["app", "<unix_socket>"], "unix_socket": true},
                "fixed": {"unix_socket": "/tmp/app.sock"}
              }
            }
            """, "test.json");

        var lab = configuration.Servers[0];
        lab.Name.Should().Be("lab");
        lab.Command.Should().Equal("jupyter", "lab", "--port={port}");
        lab.Timeout.Should().Be(TimeSpan.FromSeconds(12.5));
        lab.Environment.Should().Contain(new KeyValuePair<string, string>("A", "<port>")).And.Contain(new KeyValuePair<string, string>("N", "3"));
        lab.AbsoluteUrl.Should().BeTrue();
        lab.Port.Should().Be(9000);
        lab.MapPath["/"].Should().Be("/lab");
        lab.LauncherEntry.Should().Be(new LauncherEntry { Enabled = false, IconPath = "/i.svg", Title = "Lab", PathInfo = "lab/tree", Category = "Tools" });
        lab.NewBrowserTab.Should().BeFalse();
        lab.RequestHeadersOverride["X-Token"].Should().Be("abc");
        lab.UpdateLastActivity.Should().BeFalse();
        lab.RawSocketProxy.Should().BeTrue();
        configuration.Servers[1].UnixSocket.Should().Be(UnixSocketSetting.PrivateDirectory);
        configuration.Servers[2].UnixSocket.Path.Should().Be("/tmp/app.sock");
        configuration.Servers[2].IsManaged.Should().BeFalse();
    }

    [Fact]
    public void Parse_Defaults_MatchJupyterServerProxy()
    {
        var server = ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"]}}}""", "t.json").Servers.Single();

        server.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        server.AbsoluteUrl.Should().BeFalse();
        server.Port.Should().Be(0);
        server.UnixSocket.Enabled.Should().BeFalse();
        server.NewBrowserTab.Should().BeTrue();
        server.UpdateLastActivity.Should().BeTrue();
        server.LauncherEntry.Enabled.Should().BeTrue();
        server.LauncherEntry.Category.Should().Be("Notebook");
        server.LauncherTitle.Should().Be("app");
        server.LauncherPath.Should().Be("app/");
    }

    [Fact]
    public void Parse_EqualText_GivesEqualDefinitions()
    {
        const string json = """{"servers": {"a": {"command": ["x", "<port>"], "environment": {"K": "V"}, "mappath": {"/": "/b"}}}}""";

        ProxyHostConfigReader.Parse(json, "1").Servers.Should().Equal(ProxyHostConfigReader.Parse(json, "2").Servers);
    }

    [Theory]
    [InlineData("""{"servers": {"lab": {"comand": ["x"]}}}""", "servers.lab.comand", "unknown key (did you mean 'command'?")]
    [InlineData("""{"servers": {"lab": {"command": ["x"], "bogus": 1}}}""", "servers.lab.bogus", "unknown key (known keys: command,")]
    [InlineData("""{"servers": {"lab": {"command": "jupyter lab"}}}""", "servers.lab.command", "expected a list of strings such as")]
    [InlineData("""{"servers": {"lab": {"command": ["a", 3]}}}""", "servers.lab.command[1]", "expected a string, got the number 3")]
    [InlineData("""{"servers": {"lab": {"command": ["a", "<prot>"]}}}""", "servers.lab.command[1]", "unknown placeholder '<prot>'")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "timeout": "5"}}}""", "servers.lab.timeout", "expected a number of seconds")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "timeout": 0}}}""", "servers.lab.timeout", "greater than 0")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "port": 70000}}}""", "servers.lab.port", "from 0 to 65535")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "absolute_url": "yes"}}}""", "servers.lab.absolute_url", "expected true or false")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "unix_socket": "rel/path"}}}""", "servers.lab.unix_socket", "absolute socket path")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "environment": {"A": ["x"]}}}}""", "servers.lab.environment.A", "expected a string")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "request_headers_override": {"Bad Header": "x"}}}}""", "servers.lab.request_headers_override.Bad Header", "not a valid HTTP header name")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "launcher_entry": {"titel": "x"}}}}""", "servers.lab.launcher_entry.titel", "unknown key (did you mean 'title'?")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "mappath": {"a": "/b"}}}}""", "servers.lab.mappath.a", "must start with '/'")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "max_request_body_size": 0}}}""", "servers.lab.max_request_body_size", "whole number of bytes greater than 0")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "max_request_body_size": 1.5}}}""", "servers.lab.max_request_body_size", "whole number of bytes")]
    [InlineData("""{"servers": {"lab": {"command": ["a"], "max_request_body_size": "1MB"}}}""", "servers.lab.max_request_body_size", "whole number of bytes")]
    [InlineData("""{"servers": {"lab": {}}}""", "servers.lab", "must name the running server")]
    [InlineData("""{"servers": {"lab": {"unix_socket": true}}}""", "servers.lab.unix_socket", "needs a \"command\"")]
    [InlineData("""{"servers": {"api": {"command": ["a"]}}}""", "servers.api", "reserved")]
    [InlineData("""{"servers": {"": {"command": ["a"]}}}""", "servers.", "must not be empty")]
    [InlineData("""{"servers": {"a/b": {"command": ["a"]}}}""", "servers.a/b", "not a valid server name")]
    [InlineData("""{"servers": {"lab\n": {"command": ["a"]}}}""", "servers.lab\n", "'lab\\n' is not a valid server name")]
    [InlineData("""{"relays": {"docs\n": {}}}""", "relays.docs\n", "'docs\\n' is not a valid relay name")]
    [InlineData("""{"webservers": {"chat\n": {}}}""", "webservers.chat\n", "'chat\\n' is not a valid site name")]
    [InlineData("""{"webservers": {"chat": {"mounts": {"/data": "files\n/"}}}}""", "webservers.chat.mounts./data", "'files\\n' is not a valid URL prefix")]
    [InlineData("""{"servers": {"Lab": {"command": ["a"]}, "lab": {"command": ["b"]}}}""", "servers.lab", "more than once")]
    [InlineData("""{"servers": []}""", "servers", "expected an object")]
    [InlineData("""{"server": {}}""", "server", "unknown key (known top-level keys: servers")]
    [InlineData("""[]""", "", "must hold a JSON object")]
    public void Parse_BadConfig_NamesFileKeyAndProblem(string json, string location, string problem)
    {
        var parse = () => ProxyHostConfigReader.Parse(json, "/home/ana/proxyhost.json");

        var error = parse.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.Source.Should().Be("/home/ana/proxyhost.json");
        error.Location.Should().Be(location);
        error.Message.Should().Contain(problem);
    }

    [Fact]
    public void Parse_NameEndingInANewline_IsReportedOnOneLine()
    {
        var parse = () => ProxyHostConfigReader.Parse("""{"servers": {"lab\n": {"command": ["a"]}}}""", "p.json");

        parse.Should().Throw<ConfigValidationException>().Which.Message.Should()
            .Be("p.json: servers.lab\\n: 'lab\\n' is not a valid server name: use letters, digits, '-', '_' and '.', starting with a letter or digit");
    }

    [Fact]
    public void Parse_InvalidJson_GivesLineAndColumn()
    {
        var parse = () => ProxyHostConfigReader.Parse("{\n  \"servers\": {\n    \"a\": {\"command\": [\"x\"}\n  }\n}", "p.json");

        var error = parse.Should().Throw<ConfigValidationException>().Which.Errors.Single();
        error.ToString().Should().StartWith("p.json: line 3, column").And.Contain("invalid JSON")
            .And.NotContain("LineNumber", "the location is given once, 1-based");
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var parse = () => ProxyHostConfigReader.Parse("""{"servers": {"a": {"timeout": -1, "port": "x", "command": ["<prot>"]}, "b": {"bogus": 1, "command": ["y"]}}}""", "p.json");

        parse.Should().Throw<ConfigValidationException>().Which.Errors.Select(e => e.Location)
            .Should().BeEquivalentTo("servers.a.timeout", "servers.a.port", "servers.a.command[0]", "servers.b.bogus");
    }

    [Fact]
    public void ReadFile_Missing_SaysSo()
    {
        var read = () => ProxyHostConfigReader.ReadFile("/nonexistent/proxyhost.json");

        read.Should().Throw<ConfigValidationException>().Which.Message.Should().Be("/nonexistent/proxyhost.json: the config file does not exist");
    }

    [Fact]
    public void Parse_EmptyFile_HasNoServers() =>
        ProxyHostConfigReader.Parse("  ", "p.json").Servers.Should().BeEmpty();
}
