using FluentAssertions;
using ProxyHost.Templating;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class PlaceholderTemplateTests
{
    private static readonly TemplateValues Tcp = new(8123, "", "/user/ana/");
    private static readonly TemplateValues Socket = new(0, "/run/proxyhost-x/socket", "/");

    [Theory]
    [InlineData("--port=<port>", "--port=8123")]
    [InlineData("--port={port}", "--port=8123")]
    [InlineData("<base_url>proxy/<port>", "/user/ana/proxy/8123")]
    [InlineData("{base_url}lab", "/user/ana/lab")]
    [InlineData("[<unix_socket>]", "[]")]
    [InlineData("plain text", "plain text")]
    [InlineData("{{literal}} braces", "{literal} braces")]
    [InlineData("echo ${HOME} and $PATH", "echo ${HOME} and $PATH")]
    [InlineData("a < b and c > d", "a < b and c > d")]
    [InlineData("<PORT>", "<PORT>")]
    public void Expand_Tcp_ReplacesKnownPlaceholders(string template, string expected) =>
        PlaceholderTemplate.Expand(template, Tcp).Should().Be(expected);

    [Fact]
    public void Expand_UnixSocket_PortIsZeroAndSocketIsThePath() =>
        PlaceholderTemplate.Expand("--port <port> --socket {unix_socket}", Socket).Should().Be("--port 0 --socket /run/proxyhost-x/socket");

    [Theory]
    [InlineData("<prot>", "unknown placeholder '<prot>'")]
    [InlineData("{prot}", "unknown placeholder '{prot}'")]
    [InlineData("{port", "unmatched '{'")]
    [InlineData("port}", "unmatched '}'")]
    public void Validate_BadTemplate_SaysWhatIsWrong(string template, string problem)
    {
        PlaceholderTemplate.Validate(template).Should().ContainSingle().Which.Should().Contain(problem);
        var expand = () => PlaceholderTemplate.Expand(template, Tcp);
        expand.Should().Throw<FormatException>().WithMessage($"*{problem}*");
    }

    [Fact]
    public void Validate_UnknownPlaceholder_ListsTheKnownOnes() =>
        PlaceholderTemplate.Validate("<prot>").Single().Should().Contain("<port>, <unix_socket>, <base_url>");
}
