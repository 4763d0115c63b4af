using System.Net;
using FluentAssertions;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>Clickjacking: another site cannot frame ProxyHost's own pages, while a proxied tool's responses stay exactly the tool's.</summary>
public sealed class PageFramingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OwnPages_ForbidFramingByOtherSites_ProxiedResponsesAreUntouched()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var slow = new ServerProcessDefinition { Name = "slow", Command = new EquatableArray<string>(["sleep", "60"]) };
        var crashing = new ServerProcessDefinition { Name = "crash", Command = new EquatableArray<string>(["sh", "-c", "exit 3"]) };
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }, slow, crashing], output: output);
        using var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html");
        using var anonymous = host.CreateClient(withToken: false);
        anonymous.DefaultRequestHeaders.Add("Accept", "text/html");
        (await host.CreateClient().GetAsync("crash/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        var pages = new List<(string What, HttpStatusCode Status, HttpResponseMessage Response)>
        {
            ("launcher", HttpStatusCode.OK, await client.GetAsync("").DefaultTimeout()),
            ("dashboard", HttpStatusCode.OK, await client.GetAsync("_/dashboard").DefaultTimeout()),
            ("starting page", HttpStatusCode.OK, await client.GetAsync("slow/").DefaultTimeout()),
            ("failure page", HttpStatusCode.ServiceUnavailable, await client.GetAsync("crash/").DefaultTimeout()),
            ("404 page", HttpStatusCode.NotFound, await client.GetAsync("proxy/not-a-port/").DefaultTimeout()),
            ("401 page", HttpStatusCode.Unauthorized, await anonymous.GetAsync("").DefaultTimeout()),
        };

        foreach (var (what, status, response) in pages)
        {
            response.StatusCode.Should().Be(status, what);
            Header(response, "X-Frame-Options").Should().Be("SAMEORIGIN", what);
            Header(response, "Content-Security-Policy").Should().Be("frame-ancestors 'self'", what);
        }
        var proxied = await client.GetAsync("app/page").DefaultTimeout();
        proxied.StatusCode.Should().Be(HttpStatusCode.OK);
        proxied.Headers.Contains("X-Frame-Options").Should().BeFalse("a tool decides for itself whether it may be framed");
        proxied.Headers.Contains("Content-Security-Policy").Should().BeFalse();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
