using System.Globalization;
using System.Net;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// DNS rebinding: a page on <c>rebind.attacker.example</c> whose name later resolves to 127.0.0.1 is
/// same-origin to ProxyHost in the browser, so the Origin check lets it through; only the <c>Host</c>
/// header tells it apart. ProxyHost answers only the hosts it is served under.
/// </summary>
public sealed class HostHeaderTests(ITestOutputHelper output)
{
    private const string Rebound = "rebind.attacker.example";

    [Theory]
    [InlineData("POST", "api/servers/app/start")]
    [InlineData("POST", "api/servers/app/restart")]
    [InlineData("GET", "app/")]
    public async Task RebindingHost_WithoutToken_Is403_AndStartsNothing(string method, string path)
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);
        var rebound = $"{Rebound}:{host.Address.Port}";

        using var response = await SecurityRequests.SendAsync(client, method, path, origin: "http://" + rebound, host: rebound);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().Contain($"--allow-host {Rebound}");
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);
    }

    [Fact]
    public async Task RebindingHost_WithoutToken_CannotStopARunningServer()
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);
        (await client.GetAsync("app/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        var rebound = $"{Rebound}:{host.Address.Port}";

        using var response = await SecurityRequests.SendAsync(client, "POST", "api/servers/app/stop", origin: "http://" + rebound, host: rebound);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.Running);
    }

    [Fact]
    public async Task RebindingHost_WebSocketUpgrade_Is403_AndStartsNothing()
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);
        var rebound = $"{Rebound}:{host.Address.Port}";

        using var response = await SecurityRequests.SendAsync(client, "GET", "app/ws", webSocketUpgrade: true, origin: "http://" + rebound, host: rebound);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);
    }

    [Fact]
    public async Task RefusedHost_PageIsEncoded_AndPlainTextForNonBrowsers()
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);

        using var html = await SendAsync(client, "api/status", "x-y.attacker.example", accept: "text/html");
        using var text = await SendAsync(client, "api/status", "x-y.attacker.example");

        html.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        html.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        (await html.Content.ReadAsStringAsync()).Should().Contain("ProxyHost is not served under host &#39;x-y.attacker.example&#39;");
        text.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await text.Content.ReadAsStringAsync()).Should().Contain("restart with --allow-host x-y.attacker.example");
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:{port}")]
    [InlineData("LocalHost.:{port}")]
    [InlineData("lab.localhost:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("127.45.6.7:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("[::1]")]
    [InlineData("[::ffff:127.0.0.1]:{port}")]
    public async Task LoopbackHosts_Pass(string hostHeader)
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);

        using var response = await SendAsync(client, "api/status", Port(hostHeader, host));

        response.StatusCode.Should().Be(HttpStatusCode.OK, hostHeader);
    }

    [Theory]
    [InlineData("localhost.attacker.example")]
    [InlineData("127.0.0.1.attacker.example")]
    [InlineData("localhost-attacker.example")]
    [InlineData("2130706433")]
    [InlineData("0x7f.1")]
    [InlineData("10.11.12.13")]
    public async Task LookalikeHosts_Are403(string hostHeader)
    {
        await using var host = await StartNoTokenAsync();
        using var client = ApiClient(host);

        using var response = await SendAsync(client, "api/status", hostHeader);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden, hostHeader);
    }

    [Theory]
    [InlineData("lab.example.org", true)]
    [InlineData("LAB.Example.org.:8443", true)]
    [InlineData("a.b.cluster.example", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("[2001:db8::7]:443", true)]
    [InlineData("cluster.example", false)]
    [InlineData("lab.example.org.attacker.example", false)]
    [InlineData("evil-lab.example.org", false)]
    [InlineData("a.cluster.example.attacker.example", false)]
    [InlineData("10.2.2.3", false)]
    public async Task AllowedHosts_AdmitExactAndWildcardNames(string hostHeader, bool served)
    {
        await using var host = await StartNoTokenAsync(o => o.AllowedHosts = ["lab.example.org", "*.cluster.example", "10.1.*", "[2001:db8::7]"]);
        using var client = ApiClient(host);

        using var response = await SendAsync(client, "api/status", hostHeader);

        response.StatusCode.Should().Be(served ? HttpStatusCode.OK : HttpStatusCode.Forbidden, hostHeader);
    }

    [Fact]
    public async Task AllowedHostsStar_AdmitsAnyWellFormedHost()
    {
        await using var host = await StartNoTokenAsync(o => o.AllowedHosts = ["*"]);
        using var client = ApiClient(host);

        using var response = await SendAsync(client, "api/status", Rebound);
        var malformed = await RawHttp.SendAsync(host, "GET", "/api/status", withToken: false, hostHeader: "a..b");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        malformed.Status.Should().Be(400);
    }

    [Theory]
    [InlineData("hub.example.org", true)]
    [InlineData("ana.lab.example.org", true)]
    [InlineData("lab.example.org", false)]
    [InlineData("example.org", false)]
    public async Task HostsOfAllowedOrigins_AreServed(string hostHeader, bool served)
    {
        await using var host = await StartNoTokenAsync(o => o.AllowedOrigins = ["https://hub.example.org", "https://*.lab.example.org", "*"]);
        using var client = ApiClient(host);

        using var response = await SendAsync(client, "api/status", hostHeader);

        response.StatusCode.Should().Be(served ? HttpStatusCode.OK : HttpStatusCode.Forbidden, hostHeader);
    }

    [Fact]
    public async Task ServedHost_ProxiesAndUpgradesWebSocketsAsBefore()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "web", Port = backend.Port }], output: output, configureOptions: o => o.AllowedHosts = ["lab.example.org"]);
        using var client = host.CreateClient();
        var served = $"lab.example.org:{host.Address.Port}";

        using var page = await SecurityRequests.SendAsync(client, "GET", "web/", host: served);
        using var upgrade = await SecurityRequests.SendAsync(client, "GET", "web/ws", webSocketUpgrade: true, origin: "http://" + served, host: served);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        upgrade.StatusCode.Should().Be(HttpStatusCode.SwitchingProtocols);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user@127.0.0.1:{port}")]
    [InlineData("127.0.0.1:{port}@attacker.example")]
    [InlineData("127.0.0.1/x")]
    [InlineData("127.0.0.1:{port}:{port}")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("127.0.0.1:+80")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("local..host")]
    [InlineData(".localhost")]
    [InlineData("localhost,127.0.0.1")]
    [InlineData("local%68ost")]
    public async Task MalformedHosts_AreRefused_BeforeAnythingStarts(string hostHeader)
    {
        await using var host = await StartNoTokenAsync();

        var response = await RawHttp.SendAsync(host, "GET", "/app/", withToken: false, hostHeader: Port(hostHeader, host));

        response.Status.Should().BeOneOf([400], hostHeader);
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);
    }

    [Fact]
    public async Task Http10WithoutHost_IsRefused()
    {
        await using var host = await StartNoTokenAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /app/ HTTP/1.0\r\n\r\n"u8.ToArray()).DefaultTimeout();
        using var reader = new StreamReader(stream);

        var status = await reader.ReadLineAsync().DefaultTimeout();

        status.Should().StartWith("HTTP/1.1 400");
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);
    }

    private Task<TestProxyHost> StartNoTokenAsync(Action<ProxyHostOptions>? configure = null) =>
        TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Command = DummyProgram.Argv("http", "--port", "<port>"), Timeout = TimeSpan.FromSeconds(20) }],
            token: null, output: output, configureOptions: configure);

    /// <summary>A client as a script on a (rebound) page would be: the API's own CSRF header is something it can send.</summary>
    private static HttpClient ApiClient(TestProxyHost host)
    {
        var client = host.CreateClient(withToken: false);
        client.DefaultRequestHeaders.Add(ServerApiEndpoints.RequestHeader, "1");
        return client;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string hostHeader, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = hostHeader;
        if (accept is not null)
        {
            request.Headers.Add("Accept", accept);
        }
        return await client.SendAsync(request).DefaultTimeout();
    }

    private static string Port(string hostHeader, TestProxyHost host) =>
        hostHeader.Replace("{port}", host.Address.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
