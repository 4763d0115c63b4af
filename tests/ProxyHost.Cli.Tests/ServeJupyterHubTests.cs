using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>proxyhost serve</c> as a JupyterHub single-user server: address, port and base URL from the spawner's variables.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_JupyterHubVariables_GiveBaseUrlAddressAndPortUnlessGivenOnTheCommandLine()
    {
        var config = WriteConfig(new { servers = new { } });
        var hub = new Dictionary<string, string>
        {
            ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ana/",
            ["JUPYTERHUB_SERVICE_URL"] = "http://127.0.0.1:0/user/ana/",
        };
        using var fromHub = StartServe(hub, "serve", "--config", config, "--token", "t");
        using var overridden = StartServe(hub, "serve", "--config", config, "--token", "t", "--base-url", "/mine/");

        var hubUrl = await ReadListeningUrlAsync(fromHub);
        var overriddenUrl = await ReadListeningUrlAsync(overridden);

        hubUrl.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/user/ana/\?token=t$");
        overriddenUrl.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/mine/\?token=t$");
        foreach (var serve in new[] { fromHub, overridden })
        {
            Signal(serve.Id, Sigterm);
            await serve.WaitForExitAsync().DefaultTimeout();
        }
    }

    [Fact]
    public async Task Serve_JupyterHubPublicUrlsAndAllowHost_AreTheHostsServedBesidesLoopback()
    {
        var config = WriteConfig(new { servers = new { } });
        var hub = new Dictionary<string, string>
        {
            ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ana/",
            ["JUPYTERHUB_SERVICE_URL"] = "http://127.0.0.1:0/user/ana/",
            ["JUPYTERHUB_PUBLIC_URL"] = "https://hub.example.org/user/ana/",
            ["JUPYTERHUB_PUBLIC_HUB_URL"] = "https://hub.example.org/",
            ["JUPYTERHUB_HOST"] = "https://ana.users.example.org",
        };
        using var serve = StartServe(hub, "serve", "--config", config, "--token", "t", "--allow-host", "*.lab.example");
        var url = new Uri(await ReadListeningUrlAsync(serve));
        using var client = new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Path)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "t");

        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var host in new[] { "hub.example.org", "ana.users.example.org:443", "a.lab.example", "localhost", "rebind.attacker.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/status");
            request.Headers.Host = host;
            using var response = await client.SendAsync(request).DefaultTimeout();
            statuses[host] = response.StatusCode;
        }
        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();

        statuses.Should().Equal(new Dictionary<string, HttpStatusCode>
        {
            ["hub.example.org"] = HttpStatusCode.OK,
            ["ana.users.example.org:443"] = HttpStatusCode.OK,
            ["a.lab.example"] = HttpStatusCode.OK,
            ["localhost"] = HttpStatusCode.OK,
            ["rebind.attacker.example"] = HttpStatusCode.Forbidden,
        });
    }

    [Fact]
    public async Task Serve_JupyterHubWithoutPublicUrl_WarnsThatTheHubsHostNeedsAllowHost()
    {
        var config = WriteConfig(new { servers = new { } });
        var hub = new Dictionary<string, string> { ["JUPYTERHUB_SERVICE_URL"] = "http://127.0.0.1:0/user/ana/" };
        using var serve = StartServe(hub, "serve", "--config", config, "--token", "t");
        await ReadListeningUrlAsync(serve);

        Signal(serve.Id, Sigterm);
        var stderr = await serve.StandardError.ReadToEndAsync().DefaultTimeout();
        await serve.WaitForExitAsync().DefaultTimeout();

        stderr.Should().Contain("JupyterHub gave no public URL").And.Contain("--allow-host");
    }
}
