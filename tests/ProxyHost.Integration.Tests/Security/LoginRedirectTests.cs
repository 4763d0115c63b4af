using FluentAssertions;
using ProxyHost.Integration.Tests.Infrastructure;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// The redirect after <c>?token=</c> stays on ProxyHost's origin whatever the path looks like, and keeps
/// the rest of the query byte for byte.
/// </summary>
public sealed class LoginRedirectTests
{
    private const string Query = "path=desktop/&a=%2F&b=x+y&c=%7E~&d&=e";

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example/")]
    [InlineData("////evil.example/x")]
    [InlineData(@"/\evil.example/")]
    [InlineData(@"/\\/evil.example")]
    [InlineData(@"/\/evil.example/")]
    [InlineData(@"//\evil.example/")]
    [InlineData("/%2F%2Fevil.example/")]
    [InlineData("/%5C%5Cevil.example/")]
    [InlineData("/./evil.example/")]
    [InlineData("/.//evil.example/")]
    [InlineData("/%2e/%2fevil.example/")]
    public async Task Login_PathThatLooksLikeAnotherHost_RedirectsOnTheSameOrigin(string path)
    {
        await using var host = await TestProxyHost.StartAsync();

        var response = await RawHttp.SendAsync(host, "GET", $"{path}?token={TestProxyHost.Token}&{Query}", withToken: false);

        var location = Location(response);
        location.Should().StartWith("/").And.NotStartWith("//").And.NotStartWith(@"/\");
        location.Should().EndWith("?" + Query);
        var resolved = new Uri(host.Address, location);
        resolved.Authority.Should().Be(host.Address.Authority, $"{path} must not lead the browser to another host");
        location.Should().NotContain("token");
    }

    [Theory]
    [InlineData("/", "/?path=desktop/&a=%2F&b=x+y")]
    [InlineData("/base/", "/base/?path=desktop/&a=%2F&b=x+y")]
    public async Task Login_KeepsTheRestOfTheQueryExactlyAsSent(string baseUrl, string expected)
    {
        await using var host = await TestProxyHost.StartAsync(baseUrl: baseUrl);

        var response = await RawHttp.SendAsync(host, "GET", $"{baseUrl}?token={TestProxyHost.Token}&path=desktop/&a=%2F&b=x+y", withToken: false);

        Location(response).Should().Be(expected);
    }

    [Theory]
    [InlineData("?token={T}", "/app/%2Fx")]
    [InlineData("?a=1&token={T}", "/app/%2Fx?a=1")]
    [InlineData("?a=1&token={T}&b=2", "/app/%2Fx?a=1&b=2")]
    [InlineData("?a=1&&token={T}", "/app/%2Fx?a=1&")]
    [InlineData("?token=other&TOKEN={T}", "/app/%2Fx?token=other")]
    public async Task Login_RemovesOnlyTheTokenParameterAndKeepsThePathAsSent(string query, string expected)
    {
        await using var host = await TestProxyHost.StartAsync();

        var response = await RawHttp.SendAsync(host, "GET", "/app/%2Fx" + query.Replace("{T}", TestProxyHost.Token, StringComparison.Ordinal), withToken: false);

        Location(response).Should().Be(expected);
    }

    private static string Location(RawHttp.Response response)
    {
        response.Status.Should().Be(302, response.Head);
        return response.Head.Split("\r\n").Single(l => l.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))["Location:".Length..].Trim();
    }
}
