using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Apps.Monitoring;
using ProxyHost.Apps.Tests.Infrastructure;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using Xunit.Abstractions;
using ProxyHost.Tests;
using ProxyHost.Tests.Hosting;

namespace ProxyHost.Apps.Tests;

/// <summary>App services inside <c>proxyhost serve</c>: the <c>apps</c> config section, the narvi/ mount, auth and the launcher.</summary>
public sealed class ProxyHostMountTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = TestProxyHost.Token;
    private readonly TempDirectory _directory = new("narvi-mount-");

    public void Dispose() => _directory.Dispose();

    private string WriteConfig(string apps)
    {
        Directory.CreateDirectory(Path.Combine(_directory.Path, "static"));
        File.WriteAllText(Path.Combine(_directory.Path, "static", "index.html"), "<h1>echo page</h1>");
        var path = Path.Combine(_directory.Path, "proxyhost.json");
        File.WriteAllText(path, $$"""{ "servers": {}, "apps": {{apps}} }""");
        return path;
    }

    private static readonly string EchoApps = $$"""
        {
          "admin_path": "admin",
          "monitor_app": true,
          "monitoring_interval": 0.05,
          "services": [
            { "workspace": "demo", "name": "echo_service", "class": "{{typeof(EchoService).FullName}}", "service_id_pattern": "[a-z0-9-]+" },
            { "workspace": "demo", "name": "fixed_service", "class": "{{typeof(EchoService).FullName}}", "fixed_service_id": "main" }
          ],
          "apps": [
            { "workspace": "demo", "name": "echo", "service": "echo_service", "parameters": { "hello": "world" },
              "resource_roots": [ { "url": "index.html", "file": "static/index.html" } ], "service_chooser": "fixed" },
            { "workspace": "demo", "name": "fixed", "service": "fixed_service", "title": "Fixed Echo",
              "resource_roots": [ { "prefix": "", "glob": "*.html", "folder": "static" } ] }
          ],
          "redirects": [ { "from": "echo", "workspace": "demo", "app": "echo" } ]
        }
        """;

    [Fact]
    public async Task AppsSection_IsServedUnderNarvi_BehindProxyHostsToken()
    {
        await using var host = await StartAsync(WriteConfig(EchoApps));
        using var client = host.CreateClient(withToken: true);
        using var anonymous = host.CreateClient(withToken: false);

        (await anonymous.GetAsync("narvi/demo/echo/room-1/index.html").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetStringAsync("narvi/demo/echo/room-1/index.html").DefaultTimeout()).Should().Be("<h1>echo page</h1>");
        (await client.GetAsync("narvi/demo/echo/Bad_Id/index.html").DefaultTimeout()).Headers.Location!.OriginalString.Should().Be("../../fixed/index.html");
        (await client.GetAsync("narvi/echo").DefaultTimeout()).Headers.Location!.OriginalString.Should().Be("/narvi/demo/echo/index.html");
        (await client.GetStringAsync("narvi/demo/echo/room-1/narvi/narvi.js").DefaultTimeout()).Should().Contain("start_narvi");

        using var refused = new ClientWebSocket();
        refused.Options.CollectHttpResponseDetails = true;
        await FluentActions.Awaiting(() => refused.ConnectAsync(host.WebSocketUri("narvi/demo/echo/room-1/connect"), TestTimeouts.DefaultToken()))
            .Should().ThrowAsync<WebSocketException>();
        refused.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized, "websockets need the token too");

        await using var session = await NarviClient.ConnectAsync(host.WebSocketUri("narvi/demo/echo/room-1/connect"),
            o => o.SetRequestHeader("Authorization", "token " + Token));
        session.Connected.GetProperty("app_parameters").GetProperty("hello").GetString().Should().Be("world");
        await session.SendTextAsync("m");
        (await session.ReceiveTextAsync()).Should().Be("echo:m");
    }

    [Fact]
    public async Task MonitorApp_PagesAreServedFromTheAssembly_NothingIsWrittenToTheTempFolder()
    {
        var assembly = typeof(MonitorApp).Assembly;
        // Where the pages used to be extracted and then re-read from: a predictable folder under the shared temp folder.
        var oldExtraction = Path.Combine(Path.GetTempPath(), $"proxyhost-apps-{Environment.UserName}", assembly.ManifestModule.ModuleVersionId.ToString("N"));
        await using var host = await StartAsync(WriteConfig(EchoApps));
        using var client = host.CreateClient(withToken: true);

        foreach (var (url, resource) in new[] { ("index.html", "monitor/index.html"), ("monitor_app.js", "monitor/monitor_app.js") })
        {
            using var expected = new MemoryStream();
            await assembly.GetManifestResourceStream(resource)!.CopyToAsync(expected);
            (await client.GetByteArrayAsync($"narvi/system_workspace/monitor_app/monitor/{url}").DefaultTimeout()).Should().Equal(expected.ToArray());
        }
        Directory.Exists(oldExtraction).Should().BeFalse("{0} is where another user could replace the page", oldExtraction);
    }

    [Fact]
    public async Task ServiceIdPattern_MustMatchTheWholeId_ANewlineAtTheEndIncluded()
    {
        await using var host = await StartAsync(WriteConfig(EchoApps));
        using var client = host.CreateClient(withToken: true);

        var response = await client.GetAsync("narvi/demo/echo/room-1%0A/index.html").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.TemporaryRedirect, "'room-1\\n' does not match [a-z0-9-]+, so the chooser answers");
        response.Headers.Location!.OriginalString.Should().Be("../../fixed/index.html");
    }

    [Fact]
    public async Task AppPages_ForbidFramingByOtherSites()
    {
        await using var host = await StartAsync(WriteConfig(EchoApps));
        using var client = host.CreateClient(withToken: true);

        foreach (var page in new[] { "narvi/system_workspace/monitor_app/monitor/index.html", "narvi/demo/echo/room-1/index.html" })
        {
            var response = await client.GetAsync(page).DefaultTimeout();
            response.StatusCode.Should().Be(HttpStatusCode.OK, page);
            response.Headers.GetValues("X-Frame-Options").Should().Equal(["SAMEORIGIN"], page);
            response.Headers.GetValues("Content-Security-Policy").Should().Equal(["frame-ancestors 'self'"], page);
        }
    }

    [Fact]
    public async Task AdminPath_MonitorApp_AndLauncherTiles()
    {
        await using var host = await StartAsync(WriteConfig(EchoApps));
        using var client = host.CreateClient(withToken: true);

        var admin = JsonNode.Parse(await client.GetStringAsync("narvi/admin").DefaultTimeout())!;
        admin["demo"]!["fixed_service"]!["instances"]!["main"]!.AsArray().Should().HaveCount(1, "fixed ids start with the host");
        admin["system_workspace"]!["monitor_service"]!["apps"]![0]!["app_name"]!.GetValue<string>().Should().Be("monitor_app");
        (await client.GetStringAsync("narvi/system_workspace/monitor_app/monitor/index.html").DefaultTimeout()).Should().Contain("monitor_app.js");

        await using var monitor = await NarviClient.ConnectAsync(host.WebSocketUri("narvi/system_workspace/monitor_app/monitor/connect"),
            o => o.SetRequestHeader("Authorization", "token " + Token));
        string pushed;
        do
        {
            pushed = await monitor.ReceiveTextAsync();
        }
        while (pushed == "null");
        JsonNode.Parse(pushed)!["demo"]!["echo_service"].Should().NotBeNull();

        var launcher = await client.GetStringAsync("").DefaultTimeout();
        launcher.Should().Contain("App services").And.Contain("href=\"/narvi/demo/fixed/index.html\"").And.Contain("Fixed Echo")
            .And.Contain("href=\"/narvi/demo/echo/index.html\"", "an app with a chooser opens without an id")
            .And.Contain("/narvi/system_workspace/monitor_app/index.html");
    }

    [Fact]
    public async Task AddAppServices_RegistersInCode()
    {
        await using var host = await StartAsync(configPath: null, configure: b => b.AddAppServices(r =>
            r.RegisterApp("code", r.RegisterService("w", "code_service", typeof(EchoService).FullName!))));
        await using var session = await NarviClient.ConnectAsync(host.WebSocketUri("narvi/w/code/x/connect"), o => o.SetRequestHeader("Authorization", "token " + Token));
        await session.SendTextAsync("hi");
        (await session.ReceiveTextAsync()).Should().Be("echo:hi");
    }

    [Theory]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "No.Such.Type"}]}""", "apps.services[0].class: no class 'No.Such.Type'")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "TYPED", "parameters": {"count": "x", "greetingText": "a"}}]}""", "apps.services[0].parameters.count: ProxyHost.Apps.Tests.Infrastructure.TypedService: parameter 'count' expects Int32, got \"x\"")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "TYPED", "parameters": {"greetingText": "a"}}]}""", "apps.services[0].parameters: ProxyHost.Apps.Tests.Infrastructure.TypedService needs parameter(s) 'count'")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "ECHO"}], "apps": [{"workspace": "w", "name": "a", "service": "s", "resource_roots": [{"url": "index.html", "file": "nope.html"}]}]}""", "apps.apps[0].resource_roots[0].file: the file")]
    [InlineData("""{"assemblies": ["missing/App.dll"]}""", "apps.assemblies[0]: the assembly")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "ECHO", "colour": 1}]}""", "apps.services[0].colour: unknown key")]
    [InlineData("""{"services": [{"workspace": "w", "class": "ECHO"}]}""", "apps.services[0].name: missing (required)")]
    [InlineData("""{"services": [{"workspace": "w/x", "name": "s", "class": "ECHO"}]}""", "apps.services[0].workspace: 'w/x' must be one URL segment")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "ECHO", "service_id_pattern": "("}]}""", "apps.services[0].service_id_pattern: '(' is not a valid regular expression")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "ECHO", "idle_timeout": "1"}]}""", "apps.services[0].idle_timeout: expected a number of seconds")]
    [InlineData("""{"apps": [{"workspace": "w", "name": "a", "service": "missing"}]}""", "apps.apps[0].service: no service 'missing' in workspace 'w'")]
    [InlineData("""{"services": [{"workspace": "w", "name": "s", "class": "ECHO"}], "apps": [{"workspace": "w", "name": "a", "service": "s", "resource_roots": [{"url": "x"}]}]}""", "apps.apps[0].resource_roots[0]: expected a resource root")]
    [InlineData("""{"redirects": [{"from": "x", "workspace": "w", "app": "none"}]}""", "apps.redirects[0].app: no app 'none'")]
    [InlineData("""{"monitoring_interval": 0}""", "apps.monitoring_interval: expected a number of seconds greater than 0")]
    [InlineData("""[]""", "apps: expected an object")]
    public async Task BadAppsSection_StopsStartUp_NamingFileAndKey(string apps, string expected)
    {
        var config = WriteConfig(apps.Replace("TYPED", typeof(TypedService).FullName, StringComparison.Ordinal).Replace("ECHO", typeof(EchoService).FullName, StringComparison.Ordinal));
        var start = () => StartAsync(config);
        var error = (await start.Should().ThrowAsync<ConfigValidationException>()).Which;
        error.Message.Should().Contain($"{config}: {expected}");
    }

    private Task<TestProxyHost> StartAsync(string? configPath, Action<IProxyHostBuilder>? configure = null) =>
        TestProxyHost.StartAsync(configPath: configPath, output: output, configureHost: configure);
}
