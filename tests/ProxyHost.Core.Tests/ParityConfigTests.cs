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
}
