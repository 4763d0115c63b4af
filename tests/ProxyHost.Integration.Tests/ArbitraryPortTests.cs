using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary><c>&lt;base_url&gt;proxy/…</c>: the strict grammar, the host allowlist, and the same request shaping as named servers.</summary>
public sealed class ArbitraryPortTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ProxyPort_StripsPrefixKeepsHostAndQuerySendsContextHeadersAndNoCredentials()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(baseUrl: "/hub/", output: output);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"proxy/{backend.Port}/a%2Fb/c?x=1&token={TestProxyHost.Token}");
        request.Headers.Add("Cookie", "proxyhost-auth=x; other=1");

        var report = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<RequestReport>();

        report!.RawTarget.Should().Be("/a%2Fb/c?x=1");
        report.Header("X-Forwarded-Context").Should().Be($"/hub/proxy/{backend.Port}");
        report.Header("X-Forwarded-Prefix").Should().Be($"/hub/proxy/{backend.Port}");
        report.Header("X-ProxyContextPath").Should().Be($"/hub/proxy/{backend.Port}");
        report.Header("X-Forwarded-Proto").Should().Be("http");
        report.Header("Host").Should().Be(host.Address.Authority);
        report.Header("Authorization").Should().BeNull();
        report.Header("Cookie").Should().Be("other=1");
    }

    [Fact]
    public async Task ProxyPort_WithoutTrailingSlash_IsProxiedAsRoot()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>($"proxy/{backend.Port}?q=1");

        report!.RawTarget.Should().Be("/?q=1");
    }

    [Fact]
    public async Task ProxyAbsolute_BackendSeesFullPathWithoutContextHeadersOrLocationRewrite()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(baseUrl: "/hub/", output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>($"proxy/absolute/{backend.Port}/x/y");
        var redirect = await client.GetAsync($"proxy/absolute/{backend.Port}/r?redirect_to=%2Flogin");

        report!.RawTarget.Should().Be($"/hub/proxy/absolute/{backend.Port}/x/y");
        report.Header("X-Forwarded-Context").Should().BeNull();
        redirect.Headers.Location!.OriginalString.Should().Be("/login");
    }

    [Fact]
    public async Task ProxyPort_Redirect_LocationPrefixedWithContextPath()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var redirect = await client.GetAsync($"proxy/{backend.Port}/r?redirect_to=%2Flogin");

        redirect.Headers.Location!.OriginalString.Should().Be($"/proxy/{backend.Port}/login");
    }

    [Fact]
    public async Task ProxyHostPort_AllowedHosts_AreProxiedWithTheirContextPath()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var byAddress = await client.GetFromJsonAsync<RequestReport>($"proxy/127.0.0.1:{backend.Port}/p");
        var byName = await client.GetFromJsonAsync<RequestReport>($"proxy/absolute/localhost:{backend.Port}/p");

        byAddress!.RawTarget.Should().Be("/p");
        byAddress.Header("X-Forwarded-Context").Should().Be($"/proxy/127.0.0.1:{backend.Port}");
        byName!.RawTarget.Should().Be($"/proxy/absolute/localhost:{backend.Port}/p");
    }

    [Fact]
    public async Task ProxyHostPort_DisallowedHost_Is403WithTheHostHtmlEscaped()
    {
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html");

        var response = await client.GetAsync("proxy/%3Cscript%3Ealert(1)%3C%2Fscript%3E.example:80/");
        var other = await client.GetAsync("proxy/evil.example:80/");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound, "'/' decoded inside the host breaks the grammar");
        other.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await other.Content.ReadAsStringAsync()).Should().Contain("Host &#39;evil.example&#39; is not allowed");
        body.Should().NotContain("<script>");

        var xss = await client.GetAsync("proxy/%3Csvg%3E%22onload=alert(1)%3C:80/");
        var xssBody = await xss.Content.ReadAsStringAsync();
        xss.StatusCode.Should().Be(HttpStatusCode.NotFound, "'<', '>' and '\"' break the host grammar");
        xssBody.Should().NotContain("<svg");
    }

    [Theory]
    [InlineData("proxy/abc")]
    [InlineData("proxy/127.0.0.1")]
    [InlineData("proxy/h@x:1/")]
    [InlineData("proxy/127.0.0.1:123@192.168.1.1/path")]
    [InlineData("proxy/a%40b:80/")]
    [InlineData("proxy/8000abc/")]
    [InlineData("proxy/80x")]
    [InlineData("proxy/absolute/")]
    [InlineData("proxy/absolute")]
    [InlineData("proxy/99999/")]
    [InlineData("proxy/0/")]
    [InlineData("proxy/:80/")]
    [InlineData("proxy/a:b:80/")]
    [InlineData("proxy/-80/")]
    [InlineData("proxy/")]
    public async Task BadProxyUrl_Is404(string path)
    {
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync(new Uri(host.Address + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task HostAllowlist_FromConfigFile_ReplacesDefaultAndSupportsCidr()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        using var directory = new TempDirectory("proxyhost-allowlist-");
        var config = Path.Combine(directory.Path, "proxyhost.json");
        await File.WriteAllTextAsync(config, """{"host_allowlist": ["127.0.0.0/8", "*.example.internal"], "servers": {}}""");
        await using var host = await TestProxyHost.StartAsync(configPath: config, output: output);
        using var client = host.CreateClient();

        (await client.GetAsync($"proxy/127.0.0.1:{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync($"proxy/localhost:{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await client.GetAsync($"proxy/{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.OK, "the port-only form always means localhost");
    }

    [Fact]
    public async Task HostAllowed_Predicate_DecidesInsteadOfPatterns()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output, configureOptions: o => o.HostAllowed = h => h == "localhost");
        using var client = host.CreateClient();

        (await client.GetAsync($"proxy/localhost:{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync($"proxy/127.0.0.1:{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ArbitraryPortsOff_Is404()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output, configureOptions: o => o.ArbitraryPorts = false);
        using var client = host.CreateClient();

        (await client.GetAsync($"proxy/{backend.Port}/")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ProxyPort_WebSocket_EchoesAndNeedsAuth()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(output: output);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + TestProxyHost.Token);
        await socket.ConnectAsync(host.WebSocketUri($"proxy/{backend.Port}/ws"), CancellationToken.None).DefaultTimeout();
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();

        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("echo:hi");
        using var anonymous = new ClientWebSocket();
        var connect = () => anonymous.ConnectAsync(host.WebSocketUri($"proxy/{backend.Port}/ws"), CancellationToken.None);
        (await connect.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("401");
    }

    [Fact]
    public async Task ProxyPort_NothingListening_Is502()
    {
        int port;
        await using (var gone = await TestBackend.StartTcpAsync())
        {
            port = gone.Port;
        }
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        (await client.GetAsync($"proxy/{port}/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.BadGateway);
    }
}
