using System.Net;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Cross-site websocket hijacking and CSRF: a page on another site makes the victim's browser send
/// its ProxyHost cookie along; the Origin check refuses it before any backend sees the request.
/// </summary>
public sealed class OriginCheckTests
{
    private const string Evil = "http://evil.example";

    [Theory]
    [InlineData("GET", "app/ws", true)]
    [InlineData("GET", "vnc/", true)]
    [InlineData("GET", "proxy/{backend}/ws", true)]
    [InlineData("POST", "app/form", false)]
    [InlineData("PUT", "app/item", false)]
    [InlineData("PATCH", "app/item", false)]
    [InlineData("DELETE", "app/item", false)]
    [InlineData("POST", "api/servers/app/stop", false)]
    [InlineData("POST", "api/servers/app/restart", false)]
    public async Task CrossSiteRequest_WithTheVictimsCookie_Is403(string method, string route, bool webSocket)
    {
        await using var fixture = await OriginFixture.StartAsync();
        var path = fixture.Path(route);

        using var crossSite = await SendWithCookieAsync(fixture, method, path, webSocket, Evil);
        using var sameSite = await SendWithCookieAsync(fixture, method, path, webSocket, fixture.Host.Address.GetLeftPart(UriPartial.Authority));
        using var noOrigin = await SendWithCookieAsync(fixture, method, path, webSocket, origin: null);

        crossSite.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await crossSite.Content.ReadAsStringAsync()).Should().Contain("--allow-origin");
        sameSite.StatusCode.Should().NotBe(HttpStatusCode.Forbidden).And.NotBe(HttpStatusCode.Unauthorized);
        noOrigin.StatusCode.Should().NotBe(HttpStatusCode.Forbidden, "non-browser clients send no Origin");
        if (webSocket)
        {
            sameSite.StatusCode.Should().Be(HttpStatusCode.SwitchingProtocols);
        }
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("http://127.0.0.1")]
    [InlineData("file://")]
    [InlineData("not an origin")]
    public async Task WebSocket_OriginThatIsNotTheHost_Is403(string origin)
    {
        await using var fixture = await OriginFixture.StartAsync();

        using var response = await SendWithCookieAsync(fixture, "GET", "app/ws", true, origin);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task CrossSiteGet_IsNotStateChanging_AndPasses()
    {
        await using var fixture = await OriginFixture.StartAsync();

        using var response = await SendWithCookieAsync(fixture, "GET", "app/page", false, Evil);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("https://hub.example.org", true)]
    [InlineData("https://a.b.example.org", true)]
    [InlineData("http://localhost:8000", true)]
    [InlineData("https://example.org", false)]
    [InlineData("https://hub.example.org.evil.example", false)]
    [InlineData("https://evil-example.org", false)]
    [InlineData("http://hub.example.org", false)]
    [InlineData("http://localhost:8001", false)]
    public async Task AllowedOrigins_AdmitOnlyMatchingOrigins(string origin, bool allowed)
    {
        await using var fixture = await OriginFixture.StartAsync(o => o.AllowedOrigins = ["https://*.example.org", "http://localhost:8000"]);

        using var upgrade = await SendWithCookieAsync(fixture, "GET", "app/ws", true, origin);
        using var post = await SendWithCookieAsync(fixture, "POST", "app/form", false, origin);

        (upgrade.StatusCode == HttpStatusCode.SwitchingProtocols).Should().Be(allowed, origin);
        (post.StatusCode == HttpStatusCode.OK).Should().Be(allowed, origin);
    }

    private static Task<HttpResponseMessage> SendWithCookieAsync(OriginFixture fixture, string method, string path, bool webSocket, string? origin)
    {
        var client = fixture.Client;
        client.DefaultRequestHeaders.Remove("Cookie");
        client.DefaultRequestHeaders.Add("Cookie", $"{ProxyHostCookie.Name(fixture.Host.Address.Port)}={ProxyHostCredentials.CookieValue(TestProxyHost.Token)}");
        // The API's own CSRF header (which a cross-site form cannot send); the Origin check must refuse even with it.
        client.DefaultRequestHeaders.Remove("X-ProxyHost-Request");
        client.DefaultRequestHeaders.Add("X-ProxyHost-Request", "1");
        return SecurityRequests.SendAsync(client, method, path, webSocket, origin);
    }

    private sealed class OriginFixture : IAsyncDisposable
    {
        private readonly TestBackend _backend;
        private readonly SwapCaseEchoServer _raw;

        private OriginFixture(TestBackend backend, SwapCaseEchoServer raw, TestProxyHost host)
        {
            _backend = backend;
            _raw = raw;
            Host = host;
            Client = host.CreateClient(withToken: false);
        }

        public TestProxyHost Host { get; }

        public HttpClient Client { get; }

        public static async Task<OriginFixture> StartAsync(Action<ProxyHostOptions>? configure = null)
        {
            var backend = await TestBackend.StartTcpAsync();
            var raw = SwapCaseEchoServer.StartTcp();
            var host = await TestProxyHost.StartAsync(
                [new ServerProcessDefinition { Name = "app", Port = backend.Port }, new ServerProcessDefinition { Name = "vnc", Port = raw.Port, RawSocketProxy = true }],
                configureOptions: configure);
            return new OriginFixture(backend, raw, host);
        }

        public string Path(string route) => route.Replace("{backend}", _backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
            await _raw.DisposeAsync();
            await _backend.DisposeAsync();
        }
    }
}
