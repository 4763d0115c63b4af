using System.Net;
using System.Text.Json.Nodes;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>jupyter-server-proxy's launcher endpoints, as its JupyterLab extension reads them.</summary>
public sealed class LauncherEndpointTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("proxyhost-launcher-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ServersInfo_EveryServerInConfigOrder_ExactlyJupyterServerProxysShape()
    {
        var icon = Path.Combine(_directory.Path, "lab.svg");
        await File.WriteAllTextAsync(icon, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        ServerProcessDefinition[] servers =
        [
            new() { Name = "zeta", Port = 1, LauncherEntry = new() { Title = "Zeta", IconPath = icon, Category = "Tools", PathInfo = "zeta/tree" } },
            new() { Name = "alpha", Port = 2, NewBrowserTab = false, LauncherEntry = new() { Enabled = false } },
        ];
        await using var host = await TestProxyHost.StartAsync(servers, baseUrl: "/user/ana/", output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("server-proxy/servers-info");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var expected = JsonNode.Parse("""
            {"server_processes": [
              {"name": "zeta", "launcher_entry": {"enabled": true, "title": "Zeta", "path_info": "zeta/tree", "category": "Tools",
                                                  "icon_url": "/user/ana/server-proxy/icon/zeta"}, "new_browser_tab": true},
              {"name": "alpha", "launcher_entry": {"enabled": false, "title": "alpha", "path_info": "alpha/", "category": "Notebook"},
               "new_browser_tab": false}
            ]}
            """);
        JsonNode.DeepEquals(json, expected).Should().BeTrue(json.ToJsonString());
    }

    [Fact]
    public async Task Icon_KnownServer_ServedWithContentTypeUnknownIs404AndAuthRequired()
    {
        var svg = Path.Combine(_directory.Path, "a.svg");
        var png = Path.Combine(_directory.Path, "b.png");
        await File.WriteAllTextAsync(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        await File.WriteAllBytesAsync(png, [0x89, 0x50, 0x4E, 0x47]);
        ServerProcessDefinition[] servers =
        [
            new() { Name = "a", Port = 1, LauncherEntry = new() { IconPath = svg } },
            new() { Name = "b", Port = 2, LauncherEntry = new() { IconPath = png } },
            new() { Name = "c", Port = 3 },
        ];
        await using var host = await TestProxyHost.StartAsync(servers, output: output);
        using var client = host.CreateClient();
        using var anonymous = host.CreateClient(withToken: false);

        var a = await client.GetAsync("server-proxy/icon/a");
        var b = await client.GetAsync("server-proxy/icon/b");

        a.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        (await a.Content.ReadAsStringAsync()).Should().StartWith("<svg");
        b.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        (await b.Content.ReadAsByteArrayAsync()).Should().Equal(0x89, 0x50, 0x4E, 0x47);
        (await client.GetAsync("server-proxy/icon/c")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await client.GetAsync("server-proxy/icon/nope")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await anonymous.GetAsync("server-proxy/icon/a")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("server-proxy/servers-info")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "image/svg+xml")]
    [InlineData("icon.png", "\u0089PNG", "image/png")]
    [InlineData("icon.weird", "<html><script>alert(1)</script></html>", "application/octet-stream")]
    public async Task Icon_BothUrls_AnswerTheSameBytesTypeAndSandboxHeaders(string fileName, string content, string expectedType)
    {
        var icon = Path.Combine(_directory.Path, fileName);
        await File.WriteAllTextAsync(icon, content);
        await using var host = await TestProxyHost.StartAsync([new() { Name = "tool", Port = 1, LauncherEntry = new() { IconPath = icon } }], output: output);
        using var client = host.CreateClient();

        var launcherApi = await client.GetAsync("server-proxy/icon/tool");
        var launcherPage = await client.GetAsync("_/icons/tool");

        foreach (var response in new[] { launcherApi, launcherPage })
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be(expectedType);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("sandbox").And.Contain("default-src 'none'");
            (await response.Content.ReadAsByteArrayAsync()).Should().Equal(await File.ReadAllBytesAsync(icon));
        }
    }
}
