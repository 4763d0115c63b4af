using System.Text;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class WebSocketOptionsReaderTests
{
    [Fact]
    public void Parse_WebSocketKeys_AreReadInSeconds()
    {
        var server = ProxyHostConfigReader.Parse(
            """{"servers": {"vnc": {"command": ["x"], "raw_socket_proxy": true, "websocket_idle_timeout": 3600, "websocket_ping_interval": 20.5}}}""",
            "t.json").Servers.Single();

        server.WebSocketIdleTimeout.Should().Be(TimeSpan.FromHours(1));
        server.WebSocketPingInterval.Should().Be(TimeSpan.FromSeconds(20.5));
    }

    [Fact]
    public void Parse_WebSocketKeysMissingOrNull_MeanNone()
    {
        var servers = ProxyHostConfigReader.Parse(
            """{"servers": {"a": {"command": ["x"]}, "b": {"command": ["x"], "websocket_idle_timeout": null, "websocket_ping_interval": null}}}""",
            "t.json").Servers;

        servers.Should().AllSatisfy(s =>
        {
            s.WebSocketIdleTimeout.Should().BeNull();
            s.WebSocketPingInterval.Should().BeNull();
        });
    }

    [Theory]
    [InlineData("websocket_idle_timeout", "\"60\"")]
    [InlineData("websocket_idle_timeout", "0")]
    [InlineData("websocket_ping_interval", "-1")]
    [InlineData("websocket_ping_interval", "true")]
    public void Parse_BadWebSocketSeconds_NamesKeyAndProblem(string key, string value)
    {
        var parse = () => ProxyHostConfigReader.Parse("""{"servers": {"lab": {"command": ["a"], """ + $"\"{key}\": {value}" + "}}}", "p.json");

        var error = parse.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Subject;
        error.Location.Should().Be("servers.lab." + key);
        error.Message.Should().Contain("expected a number of seconds greater than 0").And.Contain("or null for none");
    }

    [Fact]
    public void Write_WebSocketKeys_RoundTripThroughTheReader()
    {
        var definition = new ServerProcessDefinition
        {
            Name = "vnc",
            Command = ["x11vnc", "-rfbport", "<port>"],
            RawSocketProxy = true,
            WebSocketIdleTimeout = TimeSpan.FromSeconds(90),
            WebSocketPingInterval = TimeSpan.FromSeconds(15),
        };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            ServerDefinitionWriter.Write(writer, definition);
        }
        var json = Encoding.UTF8.GetString(stream.ToArray());

        json.Should().Contain("\"websocket_idle_timeout\":90").And.Contain("\"websocket_ping_interval\":15");
        ProxyHostConfigReader.Parse("""{"servers": {"vnc": """ + json + "}}", "t.json").Servers.Single().Should().Be(definition);
    }
}
