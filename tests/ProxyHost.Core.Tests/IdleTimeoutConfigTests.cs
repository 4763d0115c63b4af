using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class IdleTimeoutConfigTests
{
    [Fact]
    public void Parse_IdleTimeout_IsReadInSeconds()
    {
        var server = ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"], "idle_timeout": 90}}}""", "t.json").Servers.Single();

        server.IdleTimeout.Should().Be(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Parse_NoIdleTimeout_NeverStops()
    {
        var server = ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"]}}}""", "t.json").Servers.Single();

        server.IdleTimeout.Should().BeNull();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("\"10\"")]
    public void Parse_InvalidIdleTimeout_ReportsKeyPath(string value)
    {
        var act = () => ProxyHostConfigReader.Parse("{\"servers\": {\"app\": {\"command\": [\"app\"], \"idle_timeout\": " + value + "}}}", "t.json");

        act.Should().Throw<ConfigValidationException>().Which.Message.Should().Contain("servers.app.idle_timeout");
    }
}
