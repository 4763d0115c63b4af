using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class ServerLimitsConfigTests
{
    [Fact]
    public void Parse_Limits_AreReadWithTheirUnits()
    {
        var server = Parse("""{"memory": "2G", "cpu": 1.5, "processes": 200, "open_files": 4096}""");

        server.Limits.Should().Be(new ServerLimits { MemoryBytes = 2L << 30, Cpus = 1.5, Processes = 200, OpenFiles = 4096 });
    }

    [Fact]
    public void Parse_NoLimits_IsNone() =>
        ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"]}}}""", "t.json").Servers.Single().Limits.IsEmpty.Should().BeTrue();

    [Theory]
    [InlineData("\"2G\"", 2L << 30)]
    [InlineData("\"2g\"", 2L << 30)]
    [InlineData("\"2GiB\"", 2L << 30)]
    [InlineData("\"1.5G\"", 1536L << 20)]
    [InlineData("\"512M\"", 512L << 20)]
    [InlineData("\"512 MB\"", 512L << 20)]
    [InlineData("\"64K\"", 64L << 10)]
    [InlineData("\"1T\"", 1L << 40)]
    [InlineData("\"1000\"", 1000L)]
    [InlineData("1000", 1000L)]
    [InlineData("\"1000B\"", 1000L)]
    public void Parse_MemorySpellings_AreBytes(string memory, long bytes) =>
        Parse($$"""{"memory": {{memory}}}""").Limits.MemoryBytes.Should().Be(bytes);

    [Theory]
    [InlineData("{\"memory\": \"lots\"}", "servers.app.limits.memory: expected a size such as \"2G\"")]
    [InlineData("{\"memory\": \"2X\"}", "servers.app.limits.memory: expected a size")]
    [InlineData("{\"memory\": \"0\"}", "servers.app.limits.memory: expected a size")]
    [InlineData("{\"memory\": \"-1G\"}", "servers.app.limits.memory: expected a size")]
    [InlineData("{\"cpu\": 0}", "servers.app.limits.cpu: expected a number of cores greater than 0")]
    [InlineData("{\"cpu\": \"1\"}", "servers.app.limits.cpu: expected a number of cores")]
    [InlineData("{\"processes\": 1.5}", "servers.app.limits.processes: expected a whole number greater than 0")]
    [InlineData("{\"open_files\": 0}", "servers.app.limits.open_files: expected a whole number greater than 0")]
    [InlineData("{\"memroy\": \"1G\"}", "servers.app.limits.memroy: unknown key")]
    [InlineData("[]", "servers.app.limits: expected an object with keys memory, cpu, processes, open_files")]
    public void Parse_BadLimit_IsAnErrorAtItsKey(string limits, string message)
    {
        var act = () => ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"], "limits": """ + limits + "}}}", "t.json");

        act.Should().Throw<ConfigValidationException>().Which.Message.Should().Contain("t.json: " + message);
    }

    [Theory]
    [InlineData(2L << 30, "2G", "2 GiB")]
    [InlineData(1536L << 20, "1536M", "1.5 GiB")]
    [InlineData(1000L, "1000", "1000 bytes")]
    [InlineData(300L << 20, "300M", "300 MiB")]
    public void Sizes_AreWrittenExactly_AndDescribedForPeople(long bytes, string written, string described)
    {
        ByteSize.Format(bytes).Should().Be(written);
        ByteSize.TryParse(written, out var read).Should().BeTrue();
        read.Should().Be(bytes);
        ByteSize.Describe(bytes).Should().Be(described);
    }

    private static ServerProcessDefinition Parse(string limits) =>
        ProxyHostConfigReader.Parse("""{"servers": {"app": {"command": ["app"], "limits": """ + limits + "}}}", "t.json").Servers.Single();
}
