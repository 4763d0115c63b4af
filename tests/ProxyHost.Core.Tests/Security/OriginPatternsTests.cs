using FluentAssertions;
using ProxyHost.Security;
using Xunit;

namespace ProxyHost.Core.Tests.Security;

public sealed class OriginPatternsTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8888", "127.0.0.1:8888", true)]
    [InlineData("https://hub.example.org", "hub.example.org", true)]
    [InlineData("https://hub.example.org", "hub.example.org:443", true)]
    [InlineData("https://HUB.example.org", "hub.EXAMPLE.org", true)]
    [InlineData("http://127.0.0.1:8889", "127.0.0.1:8888", false)]
    [InlineData("http://evil.example", "127.0.0.1:8888", false)]
    [InlineData("http://127.0.0.1:8888.evil.example", "127.0.0.1:8888", false)]
    [InlineData("http://127.0.0.1:8888@evil.example", "127.0.0.1:8888", false)]
    [InlineData("null", "127.0.0.1:8888", false)]
    [InlineData("file://", "127.0.0.1:8888", false)]
    [InlineData("http://[::1]:8888", "[::1]:8888", true)]
    [InlineData("http://[::1]:8888", "127.0.0.1:8888", false)]
    [InlineData("http://a", "", false)]
    [InlineData("http://a", "a/b", false)]
    public void IsSameHost_ComparesHostAndPortOnly(string origin, string host, bool expected) =>
        OriginPatterns.IsSameHost(origin, host).Should().Be(expected);

    [Theory]
    [InlineData("https://*.example.org", "https://hub.example.org", true)]
    [InlineData("https://*.example.org", "https://a.b.example.org", true)]
    [InlineData("https://*.example.org", "https://example.org", false)]
    [InlineData("https://*.example.org", "https://evil.example.org.evil.example", false)]
    [InlineData("https://*.example.org", "https://evil.com/.example.org", false)]
    [InlineData("https://*.example.org", "http://hub.example.org", false)]
    [InlineData("http://localhost:*", "http://localhost:3000", true)]
    [InlineData("http://localhost:8000", "http://localhost:8000", true)]
    [InlineData("http://localhost:8000/", "http://localhost:8000", true)]
    [InlineData("http://localhost:8000", "http://localhost:80001", false)]
    [InlineData("*", "null", true)]
    public void Matches_ExactAndWildcardOrigins(string pattern, string origin, bool expected) =>
        OriginPatterns.Matches([pattern], origin).Should().Be(expected);

    [Theory]
    [InlineData("*", true)]
    [InlineData("https://hub.example.org", true)]
    [InlineData("https://*.example.org", true)]
    [InlineData("http://localhost:8000", true)]
    [InlineData("hub.example.org", false)]
    [InlineData("https://hub.example.org/path", false)]
    [InlineData("ftp://hub.example.org", false)]
    [InlineData("https://user@hub.example.org", false)]
    [InlineData("", false)]
    public void Validate_AcceptsOriginsOnly(string pattern, bool valid) =>
        (OriginPatterns.Validate(pattern) is null).Should().Be(valid);
}
