using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class ProxyingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Proxy_RelativeUrl_StripsPrefixKeepsQueryAndSendsContextHeaders()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], baseUrl: "/hub/", output: output);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>("app/some/path?x=1&y=%20z");

        report!.Path.Should().Be("/some/path");
        report.Query.Should().Be("?x=1&y=%20z");
        report.Header("X-Forwarded-Prefix").Should().Be("/hub/app");
        report.Header("X-Forwarded-Context").Should().Be("/hub/app");
        report.Header("X-ProxyContextPath").Should().Be("/hub/app");
        report.Header("X-Forwarded-Proto").Should().Be("http");
        report.Header("X-Forwarded-For").Should().Be("127.0.0.1");
        report.Header("Host").Should().Be(host.Address.Authority, "the client's Host is kept for apps that check Origin against it");
    }

    [Fact]
    public async Task Proxy_AbsoluteUrl_BackendSeesFullPathWithoutContextHeaders()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port) with { AbsoluteUrl = true }], baseUrl: "/hub/");
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>("app/some/path?q=1");

        report!.Path.Should().Be("/hub/app/some/path");
        report.Query.Should().Be("?q=1");
        report.Header("X-Forwarded-Context").Should().BeNull();
    }

    [Fact]
    public async Task Proxy_HeaderOverride_ReplacesClientHeaderAndExpandsTemplates()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = Unmanaged("app", backend.Port) with
        {
            RequestHeadersOverride = new Dictionary<string, string> { ["X-Tool-Port"] = "<port>", ["X-Base"] = "{base_url}", ["X-Who"] = "proxyhost" },
        };
        await using var host = await TestProxyHost.StartAsync([definition]);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "app/");
        request.Headers.Add("X-Who", "client-trying-to-override");

        var response = await client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<RequestReport>();

        report!.Header("X-Tool-Port").Should().Be(backend.Port.ToString());
        report.Header("X-Base").Should().Be("/");
        report.Header("X-Who").Should().Be("proxyhost");
    }

    [Fact]
    public async Task Proxy_OwnCredentials_AreNotForwardedButOtherCookiesAre()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"app/?token={TestProxyHost.Token}&keep=1");
        request.Headers.Add("Cookie", "theme=dark; proxyhost-auth=abc");

        var response = await client.SendAsync(request);
        var report = await response.Content.ReadFromJsonAsync<RequestReport>();

        report!.Method.Should().Be("POST");
        report.Header("Authorization").Should().BeNull();
        report.Query.Should().Be("?keep=1");
        report.Header("Cookie").Should().Be("theme=dark");
    }

    [Fact]
    public async Task Proxy_NameWithoutSlash_RedirectsToSlashKeepingQuery()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], baseUrl: "/base/");
        using var client = host.CreateClient();

        var response = await client.GetAsync("app?a=1");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be("/base/app/?a=1");
    }

    [Fact]
    public async Task Proxy_ServerSentEvents_ArriveBeforeTheResponseEnds()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("app/sse?count=2&wait=1", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        (await reader.ReadLineAsync().DefaultTimeout()).Should().Be("data: event 0");
        await reader.ReadLineAsync().DefaultTimeout();
        (await reader.ReadLineAsync().DefaultTimeout()).Should().Be("data: event 1");
    }

    [Fact]
    public async Task Proxy_LargeDownload_StreamsWithoutBuffering()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await client.GetAsync("app/bytes/256", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        long peak = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
            if (total % (32 * 1024 * 1024) < read)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
            }
        }

        total.Should().Be(256L * 1024 * 1024);
        peak.Should().BeLessThan(64L * 1024 * 1024, "a 256 MB body must stream through, not be held in memory");
    }

    [Fact]
    public async Task Proxy_WebSocketOverTcp_EchoesTextAndBinary()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);

        await AssertWebSocketEchoAsync(host, "app/ws");
    }

    [Fact]
    public async Task Proxy_UnixSocketBackend_ServesHttpAndWebSocket()
    {
        using var directory = new TempDirectory("proxyhost-test-");
        var socketPath = Path.Combine(directory.Path, "backend.sock");
        await using var backend = await TestBackend.StartUnixSocketAsync(socketPath);
        var definition = new ServerProcessDefinition { Name = "uds", UnixSocket = UnixSocketSetting.AtPath(socketPath) };
        await using var host = await TestProxyHost.StartAsync([definition]);
        using var client = host.CreateClient();

        var report = await client.GetFromJsonAsync<RequestReport>("uds/over/socket");

        report!.Path.Should().Be("/over/socket");
        await AssertWebSocketEchoAsync(host, "uds/ws");
    }

    [Fact]
    public async Task Proxy_UnixSocketBackendRefuses_LogsTheSocketPathNotLocalhost80()
    {
        using var directory = new TempDirectory("proxyhost-test-");
        var socketPath = Path.Combine(directory.Path, "nobody-listens.sock");
        var definition = new ServerProcessDefinition { Name = "uds", UnixSocket = UnixSocketSetting.AtPath(socketPath) };
        var forwardFailed = new LogEventSignal((_, message) => message.Contains("forwarding", StringComparison.Ordinal));
        await using var host = await TestProxyHost.StartAsync([definition], output: output, logSignal: forwardFailed);
        using var client = host.CreateClient();

        var response = await client.GetAsync("uds/");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        var logged = await forwardFailed.Logged.DefaultTimeout();
        logged.Should().Contain("unix:" + socketPath).And.NotContain("localhost:80");
    }

    [Fact]
    public async Task Proxy_BackendDown_Answers502WithReadablePage()
    {
        int port;
        await using (var backend = await TestBackend.StartTcpAsync())
        {
            port = backend.Port;
        }
        await using var host = await TestProxyHost.StartAsync([Unmanaged("gone", port)]);
        using var client = host.CreateClient();

        var response = await client.GetAsync("gone/").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'gone' did not answer");
    }

    [Fact]
    public async Task Auth_WithoutToken_Is401ForHttpAndWebSocket()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient(withToken: false);

        (await client.GetAsync("app/")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var socket = new ClientWebSocket();
        var connect = () => socket.ConnectAsync(host.WebSocketUri("app/ws"), CancellationToken.None);
        (await connect.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("401");
    }

    [Fact]
    public async Task Auth_QueryToken_SetsHttpOnlyCookieAndRedirectsWithoutToken()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient(withToken: false);

        var login = await client.GetAsync($"app/page?a=1&token={TestProxyHost.Token}");

        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.Location!.ToString().Should().Be("/app/page?a=1");
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        cookie.Should().Contain("httponly").And.Contain("samesite=strict");
        using var request = new HttpRequestMessage(HttpMethod.Get, "app/page?a=1");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        (await client.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Auth_WrongToken_IsRejected()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var client = host.CreateClient(withToken: false);
        client.DefaultRequestHeaders.Add("Authorization", "token not-the-token");

        (await client.GetAsync("app/")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("app/?token=not-the-token")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task AssertWebSocketEchoAsync(TestProxyHost host, string path)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + TestProxyHost.Token);
        await socket.ConnectAsync(host.WebSocketUri(path), CancellationToken.None).DefaultTimeout();

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var text = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        Encoding.UTF8.GetString(buffer, 0, text.Count).Should().Be("echo:hello");

        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var binary = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        binary.MessageType.Should().Be(WebSocketMessageType.Binary);
        buffer[..binary.Count].Should().Equal(1, 2, 3);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
    }

    private static ServerProcessDefinition Unmanaged(string name, int port) => new() { Name = name, Port = port };
}
