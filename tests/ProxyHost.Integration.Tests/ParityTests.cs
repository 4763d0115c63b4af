using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>jupyter-server-proxy request and response semantics: redirects, encodings, credentials, compression.</summary>
public sealed class ParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("/login", "/hub/app/login")]
    [InlineData("/login?next=%2Fx", "/hub/app/login?next=%2Fx")]
    [InlineData("/hub/app/already", "/hub/app/already")]
    [InlineData("/hub/app", "/hub/app")]
    [InlineData("/hub/application", "/hub/app/hub/application")]
    [InlineData("relative/x", "relative/x")]
    [InlineData("//elsewhere.example/x", "//elsewhere.example/x")]
    [InlineData("http://elsewhere.example/x", "http://elsewhere.example/x")]
    public async Task Redirect_RelativeUrlServer_PrefixesPathLocationsOnce(string location, string expected)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], baseUrl: "/hub/", output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("app/any?redirect_to=" + Uri.EscapeDataString(location));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be(expected);
    }

    [Fact]
    public async Task Redirect_AbsoluteUrlServerOrNonRedirectStatus_LocationUntouched()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [Unmanaged("abs", backend.Port) with { AbsoluteUrl = true }, Unmanaged("rel", backend.Port)], output: output);
        using var client = host.CreateClient();

        var absolute = await client.GetAsync("abs/any?redirect_to=%2Flogin&status=307");
        var created = await client.GetAsync("rel/any?redirect_to=%2Fitem%2F1&status=201");

        absolute.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        absolute.Headers.Location!.OriginalString.Should().Be("/login");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location!.OriginalString.Should().Be("/item/1");
    }

    [Theory]
    [InlineData("app/caf%C3%A9%20au%20lait", "/caf%C3%A9%20au%20lait")]
    [InlineData("app/a%2Fb", "/a%2Fb")]
    [InlineData("app/what%3Fnot-a-query?real=1", "/what%3Fnot-a-query?real=1")]
    [InlineData("app/hash%23tag", "/hash%23tag")]
    [InlineData("app/sub-delims!$&'()*+,;=:@", "/sub-delims!$&'()*+,;=:@")]
    [InlineData("app/q?x=%26&y=a+b&z=%E2%9C%93", "/q?x=%26&y=a+b&z=%E2%9C%93")]
    public async Task Encoding_ReservedAndUtf8_ReachBackendAsSent(string requested, string expectedTarget)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>(Verbatim(host, "/" + requested));

        report!.RawTarget.Should().Be(expectedTarget);
    }

    [Fact]
    public async Task Encoding_Fragment_IsNeverSentAndTheServerSeesThePathBeforeIt()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>(new Uri(host.Address, "/app/page?x=1#section"));

        report!.RawTarget.Should().Be("/page?x=1");
    }

    [Fact]
    public async Task Encoding_DotSegments_NeverReachAnotherServer()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var other = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port), Unmanaged("other", other.Port)], output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>(Verbatim(host, "/app/x/%2e%2e/y"));

        var escape = await client.GetAsync(Verbatim(host, "/app/%2e%2e/other/x"));

        report!.RawTarget.Should().Be("/y", "dot segments inside the server resolve within it");
        escape.StatusCode.Should().Be(HttpStatusCode.NotFound, "a path that climbs out of /app/ must not reach 'other'");
    }

    [Fact]
    public async Task Credentials_OwnTokenInHeaderQueryAndCookie_AreStrippedOthersKept()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"app/p?a=1&token={TestProxyHost.Token}&b=2");
        request.Headers.Add("Cookie", "proxyhost-auth=secret; session=keep");
        request.Headers.Add("X-Api-Key", "mine");

        var response = await client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<RequestReport>();

        report!.Header("Authorization").Should().BeNull();
        report.Header("Cookie").Should().Be("session=keep");
        report.Header("X-Api-Key").Should().Be("mine");
        report.RawTarget.Should().NotContain(TestProxyHost.Token).And.Contain("a=1").And.Contain("b=2");
    }

    [Fact]
    public async Task Credentials_SomeoneElsesAuthorization_IsForwarded()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var client = host.CreateClient(withToken: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"app/?token={TestProxyHost.Token}");
        request.Headers.Add("Authorization", "Bearer backend-own-token");

        var response = await client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<RequestReport>();

        report!.Header("Authorization").Should().Be("Bearer backend-own-token");
        report.Query.Should().BeEmpty();
    }

    [Fact]
    public async Task Gzip_CompressedBody_PassesThroughByteForByte()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "app/gzip");
        request.Headers.Add("Accept-Encoding", "gzip");

        using var response = await client.SendAsync(request);

        response.Content.Headers.ContentEncoding.Should().Equal("gzip");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(TestBackend.GzipBody);
    }

    /// <summary>A URI sent exactly as written: no unescaping, no dot-segment removal by the client.</summary>
    private static Uri Verbatim(TestProxyHost host, string pathAndQuery) =>
        new(host.Address + pathAndQuery.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    private static ServerProcessDefinition Unmanaged(string name, int port) => new() { Name = name, Port = port };
}
