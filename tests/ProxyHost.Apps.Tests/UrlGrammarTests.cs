using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

/// <summary>Every URL form of the grammar and its status code.</summary>
public sealed class UrlGrammarTests : IAsyncLifetime, IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _directory = new("narvi-url-");
    private NarviTestServer _server = null!;
    private HttpClient _client = null!;

    public UrlGrammarTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        var root = _directory.Path;
        Directory.CreateDirectory(Path.Combine(root, "static/images/sub"));
        Directory.CreateDirectory(Path.Combine(root, "static/all"));
        File.WriteAllText(Path.Combine(root, "static/index.html"), "<h1>page</h1>");
        File.WriteAllText(Path.Combine(root, "static/chooser.html"), "<h1>chooser</h1>");
        File.WriteAllText(Path.Combine(root, "static/app.js"), "var x = 1;");
        File.WriteAllBytes(Path.Combine(root, "static/images/a.png"), [137, 80, 78, 71]);
        File.WriteAllBytes(Path.Combine(root, "static/images/sub/b.png"), [137, 80, 78, 71, 2]);
        File.WriteAllText(Path.Combine(root, "static/images/notes.txt"), "not a png");
        File.WriteAllText(Path.Combine(root, "static/all/x.css"), "body{}");
        File.WriteAllText(Path.Combine(root, "secret.txt"), "TOP-SECRET");
        ResourceRoot[] roots =
        [
            ResourceRoot.File("index.html", Path.Combine(root, "static/index.html")),
            ResourceRoot.File("*app.js", Path.Combine(root, "static/app.js")),
            ResourceRoot.Folder("images", "*.png", Path.Combine(root, "static/images")),
            ResourceRoot.Folder("", "*.css", Path.Combine(root, "static/all")),
            ResourceRoot.Folder("any", "*", Path.Combine(root, "static")),
        ];
        _server = await NarviTestServer.StartAsync(n =>
        {
            var echo = n.RegisterService("ws", "echo_service", typeof(EchoService).FullName!, serviceIdValidator: id => id.StartsWith("ok", StringComparison.Ordinal));
            var fixedService = n.RegisterService("ws", "fixed_service", typeof(EchoService).FullName!, fixedServiceId: "main");
            var chooserService = n.RegisterService("ws", "chooser_service", typeof(EchoService).FullName!, fixedServiceId: "c");
            n.RegisterApp("echo", echo, resourceRoots: roots, serviceChooserAppName: "chooser");
            n.RegisterApp("plain", echo, resourceRoots: roots);
            n.RegisterApp("fixed", fixedService, resourceRoots: roots);
            n.RegisterApp("chooser", chooserService, resourceRoots: [ResourceRoot.File("index.html", Path.Combine(root, "static/chooser.html"))]);
            n.RegisterRedirect("/", "ws", "fixed");
            n.RegisterRedirect("go/echo", "ws", "echo");
        }, _output, adminPath: "/admin");
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("/narvi/ws/fixed/index.html", "main/index.html")]
    [InlineData("/narvi/ws/echo/index.html", "../chooser/index.html")]
    [InlineData("/narvi/ws/echo/bad-id/index.html", "../../chooser/index.html")]
    [InlineData("/", "/narvi/ws/fixed/index.html")]
    [InlineData("/go/echo", "/narvi/ws/echo/index.html")]
    public async Task Redirects_Are307WithNarvisLocations(string path, string location)
    {
        using var response = await _client.GetAsync(path).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.OriginalString.Should().Be(location);
    }

    [Theory]
    [InlineData("/narvi/ws/plain/index.html")]            // no fixed id, no chooser
    [InlineData("/narvi/ws/plain/bad-id/index.html")]     // invalid id, no chooser
    [InlineData("/narvi/ws/fixed/other/index.html")]      // fixed id mismatch
    [InlineData("/narvi/ws/nope/ok1/index.html")]         // unknown app
    [InlineData("/narvi/nope/echo/ok1/index.html")]       // unknown workspace
    [InlineData("/narvi/ws/echo/ok1/missing.js")]         // no resource root, no request service
    [InlineData("/narvi/ws/echo/ok1/images/notes.txt")]   // folder root glob does not match
    [InlineData("/narvi/ws/echo/bad-id/app.js")]          // resources need a valid id
    [InlineData("/narvi/ws/echo/ok1/status")]             // not running
    [InlineData("/narvi/ws/echo")]
    [InlineData("/elsewhere")]
    public async Task NotFound_Is404(string path)
    {
        using var response = await _client.GetAsync(path).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/narvi/ws/echo/ok1/index.html", "<h1>page</h1>", "text/html")]
    [InlineData("/narvi/ws/fixed/main/index.html", "<h1>page</h1>", "text/html")]
    [InlineData("/narvi/ws/chooser/c/index.html", "<h1>chooser</h1>", "text/html")]
    [InlineData("/narvi/ws/echo/ok1/app.js", "var x = 1;", "text/javascript")]
    [InlineData("/narvi/ws/echo/ok1/deep/er/app.js", "var x = 1;", "text/javascript")]
    [InlineData("/narvi/ws/echo/ok1/x.css", "body{}", "text/css")]
    [InlineData("/narvi/ws/echo/ok1/any/all/x.css", "body{}", "text/css")]
    public async Task Resources_AreServedFromResourceRoots(string path, string body, string contentType)
    {
        using var response = await _client.GetAsync(path).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be(contentType);
        (await response.Content.ReadAsStringAsync()).Should().Be(body);
        response.Headers.ETag.Should().NotBeNull();
    }

    [Fact]
    public async Task FolderRoot_ServesNestedPngsByGlob_AndAnswersIfNoneMatchWith304()
    {
        using var nested = await _client.GetAsync("/narvi/ws/echo/ok1/images/sub/b.png").DefaultTimeout();
        nested.StatusCode.Should().Be(HttpStatusCode.OK, "fnmatch's * spans '/'");
        nested.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await nested.Content.ReadAsByteArrayAsync()).Should().Equal(137, 80, 78, 71, 2);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/narvi/ws/echo/ok1/images/a.png");
        request.Headers.IfNoneMatch.Add(nested.Headers.ETag!);
        using var first = await _client.GetAsync("/narvi/ws/echo/ok1/images/a.png").DefaultTimeout();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/narvi/ws/echo/ok1/images/a.png");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await _client.SendAsync(conditional).DefaultTimeout();
        again.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task NarviJs_IsAlwaysServed()
    {
        using var response = await _client.GetAsync("/narvi/ws/plain/ok9/narvi/narvi.js").DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await response.Content.ReadAsStringAsync()).Should().Contain("start_narvi");
    }

    [Theory]
    [InlineData("/narvi/ws/nope/ok1/connect", HttpStatusCode.NotFound)]
    [InlineData("/narvi/nope/echo/ok1/connect", HttpStatusCode.NotFound)]
    [InlineData("/narvi/ws/echo/bad-id/connect", HttpStatusCode.Forbidden)]
    [InlineData("/narvi/ws/fixed/not-main/connect", HttpStatusCode.Forbidden)]
    public async Task Connect_BadTargets_AreRefusedBeforeTheUpgrade(string path, HttpStatusCode status)
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var connect = () => socket.ConnectAsync(_server.WebSocketUri(path), TestTimeouts.DefaultToken());
        await connect.Should().ThrowAsync<System.Net.WebSockets.WebSocketException>();
        socket.HttpStatusCode.Should().Be(status);
    }

    [Fact]
    public async Task Connect_WithoutUpgrade_Is400()
    {
        using var response = await _client.GetAsync("/narvi/ws/echo/ok1/connect").DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Status_IsJsonWithUptimeAndSessionCount_ForTheAppsService()
    {
        await using var one = await _server.ConnectAsync("/narvi/ws/echo/ok-status/connect");
        await using var two = await _server.ConnectAsync("/narvi/ws/plain/ok-status/connect");

        using var response = await _client.GetAsync("/narvi/ws/echo/ok-status/status").DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("session_count").GetInt32().Should().Be(2, "two apps share the service instance (Narvi needs app name == service name here)");
        json.RootElement.GetProperty("uptime").GetInt64().Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task AdminPath_AnswersTheAdminJson()
    {
        using var response = await _client.GetAsync("/admin").DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("ws").GetProperty("fixed_service").GetProperty("instances").GetProperty("main").GetArrayLength().Should().Be(1);
    }

    [Theory]
    [InlineData("/narvi/ws/echo/ok1/any/../secret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/%2e%2e/secret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/%2E%2E/%2E%2E/secret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/..%2fsecret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/..%5csecret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/..\\secret.txt")]
    [InlineData("/narvi/ws/echo/ok1/any/sub/..%2f..%2fsecret.txt")]
    [InlineData("/narvi/ws/echo/ok1/images/..%2f..%2fsecret.png")]
    [InlineData("/narvi/ws/echo/ok1/any//etc/passwd")]
    [InlineData("/narvi/ws/echo/ok1/any/%2fetc%2fpasswd")]
    public async Task PathTraversal_ThroughResourceRoots_IsRefused(string rawTarget)
    {
        var (status, body) = await RawGetAsync(rawTarget);
        status.Should().BeOneOf(400, 404);
        body.Should().NotContain("TOP-SECRET").And.NotContain("root:");
    }

    [Fact]
    public void ResourceRoot_RejectsUnsafePaths()
    {
        var root = ResourceRoot.Folder("", "*", Path.Combine(_directory.Path, "static"));
        root.Resolve("../secret.txt").Should().BeNull();
        root.Resolve("a/../../secret.txt").Should().BeNull();
        root.Resolve("..\\secret.txt").Should().BeNull();
        root.Resolve("/etc/passwd").Should().BeNull();
        root.Resolve("./index.html").Should().BeNull();
        root.Resolve("index.html").Should().Be(Path.Combine(_directory.Path, "static", "index.html"));
    }

    /// <summary>Sends the request target byte for byte (HttpClient would normalize the dots).</summary>
    private async Task<(int Status, string Body)> RawGetAsync(string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.Address.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).DefaultTimeout();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().DefaultTimeout();
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }
}
