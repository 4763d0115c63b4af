using FluentAssertions;
using ProxyHost.Security;
using Xunit;

namespace ProxyHost.Core.Tests.Security;

public sealed class HostPatternsTests
{
    [Theory]
    [InlineData("localhost:8888", "localhost", null)]
    [InlineData("LAB.Example.ORG.", "lab.example.org", null)]
    [InlineData("jupyter_ana:80", "jupyter_ana", null)]
    [InlineData("127.0.0.1:65535", "127.0.0.1", "127.0.0.1")]
    [InlineData("[::1]:8888", "[::1]", "::1")]
    [InlineData("[2001:DB8::7]", "[2001:db8::7]", "2001:db8::7")]
    [InlineData("127.1", "127.1", null)]
    [InlineData("0x7f.0.0.1", "0x7f.0.0.1", null)]
    public void RequestHost_ParsesNameOrAddressAndDropsThePort(string header, string name, string? address)
    {
        RequestHost.TryParse(header, out var host).Should().BeTrue();

        host!.Name.Should().Be(name);
        host.Address?.ToString().Should().Be(address);
        (host.Address is null).Should().Be(address is null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData("a:")]
    [InlineData("a:65536")]
    [InlineData("a:1:2")]
    [InlineData("a:-1")]
    [InlineData("a: 1")]
    [InlineData("u@a")]
    [InlineData("a/b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a%2eb")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]80")]
    [InlineData("[127.0.0.1]")]
    [InlineData("[fe80::1%eth0]")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("é.example")]
    public void RequestHost_RefusesMalformedValues(string? header) =>
        RequestHost.TryParse(header, out _).Should().BeFalse(header);

    [Theory]
    [InlineData("lab.example.org", "lab.example.org:8888", true)]
    [InlineData("Lab.Example.org.", "lab.example.org", true)]
    [InlineData("lab.example.org", "lab.example.org.evil.example", false)]
    [InlineData("*.example.org", "a.b.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("*.example.org", "evil-example.org", false)]
    [InlineData("*.example.org", "a.example.org.evil.example", false)]
    [InlineData("lab-*.example.org", "lab-7.example.org", true)]
    [InlineData("10.1.*", "10.1.2.3", true)]
    [InlineData("10.1.*", "10.10.2.3", false)]
    [InlineData("192.0.2.7", "192.0.2.7:80", true)]
    [InlineData("192.0.2.7", "192.0.2.70", false)]
    [InlineData("2001:db8::7", "[2001:DB8:0::7]", true)]
    [InlineData("[2001:db8::7]", "[2001:db8::8]", false)]
    [InlineData("*", "anything.example", true)]
    public void Matches_ExactWildcardAndAddressPatterns(string pattern, string header, bool expected)
    {
        RequestHost.TryParse(header, out var host).Should().BeTrue();

        new HostPatterns([pattern]).Matches(host!).Should().Be(expected);
    }

    [Theory]
    [InlineData("lab.example.org", true)]
    [InlineData("*.example.org", true)]
    [InlineData("*", true)]
    [InlineData("192.0.2.7", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("https://lab.example.org", false)]
    [InlineData("lab.example.org:8888", false)]
    [InlineData("lab.example.org/", false)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    [InlineData("user@lab.example.org", false)]
    public void Validate_NamesTheProblem(string pattern, bool valid)
    {
        var problem = HostPatterns.Validate(pattern);

        (problem is null).Should().Be(valid, problem);
        if (!valid)
        {
            problem.Should().Contain($"'{pattern}' is not a host such as lab.example.org");
        }
    }

    [Theory]
    [InlineData("https://hub.example.org", "hub.example.org")]
    [InlineData("https://*.example.org/", "*.example.org")]
    [InlineData("http://localhost:*", "localhost")]
    [InlineData("http://[::1]:8000", "[::1]")]
    [InlineData("*", null)]
    [InlineData("https://*", null)]
    public void FromOrigin_TakesTheHostOfAnOriginPattern(string origin, string? host) =>
        HostPatterns.FromOrigin(origin).Should().Be(host);
}
