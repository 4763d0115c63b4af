using System.Net;
using FluentAssertions;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>Reflected XSS: what came from the request or from a process shows on ProxyHost's pages as text, never as markup.</summary>
public sealed class ErrorPageEncodingTests
{
    private const string Payload = "<script>alert(1)</script>";
    private const string Encoded = "&lt;script&gt;alert(1)&lt;/script&gt;";

    [Fact]
    public async Task ProcessOutput_OnTheFailedStartPage_IsEncoded()
    {
        var crashing = new ServerProcessDefinition
        {
            Name = "crash",
            // printf's octal escapes write the angle brackets, which the command template would read as placeholders.
            Command = new EquatableArray<string>(["sh", "-c", @"printf '\074script\076alert(1)\074/script\076\n'; printf '\074img src=x onerror=alert(2)\076\n' >&2; exit 3"]),
        };
        await using var host = await TestProxyHost.StartAsync([crashing]);
        using var plain = host.CreateClient();
        using var client = Html(host.CreateClient());

        // The first (plain) request runs the failing start; a browser asking afterwards gets the HTML failure page.
        (await plain.GetAsync("crash/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var response = await client.GetAsync("crash/?x=" + Uri.EscapeDataString(Payload)).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain(Encoded).And.Contain("&lt;img src=x onerror=alert(2)&gt;");
        body.Should().NotContain(Payload).And.NotContain("<img");
    }

    [Fact]
    public async Task ProcessOutput_WithTerminalAndBidiControls_ReachesNoClientWithThem()
    {
        var crashing = new ServerProcessDefinition
        {
            Name = "crash",
            // A screen clear, a window-title OSC, a bell, a carriage return and a right-to-left override (U+202E, UTF-8 E2 80 AE).
            Command = new EquatableArray<string>(["sh", "-c", @"printf 'before\033[2Jafter\033]0;title\007bell\007 \342\200\256desrever\rend\n'; exit 3"]),
        };
        await using var host = await TestProxyHost.StartAsync([crashing]);
        using var plain = host.CreateClient();
        using var html = Html(host.CreateClient());

        var text = await (await plain.GetAsync("crash/").DefaultTimeout()).Content.ReadAsStringAsync();
        var page = await (await html.GetAsync("crash/").DefaultTimeout()).Content.ReadAsStringAsync();

        foreach (var (variant, body) in new[] { ("text/plain", text), ("text/html", page) })
        {
            body.Should().Contain("beforeafterbell desreverend", variant, "whole escape sequences go, the text around them stays");
            body.Should().NotContain("\u001b", variant).And.NotContain("\u0007", variant).And.NotContain("\r", variant).And.NotContain("\u202e", variant);
        }
    }

    [Fact]
    public async Task RequestText_OnEveryPageThatRepeatsIt_IsEncoded()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }]);
        using var client = Html(host.CreateClient());
        var escaped = Uri.EscapeDataString(Payload);

        var pages = new List<(string What, HttpResponseMessage Response)>
        {
            ("disallowed host", await client.GetAsync($"proxy/{escaped}:80/").DefaultTimeout()),
            ("bad proxy URL", await client.GetAsync($"proxy/{escaped}/").DefaultTimeout()),
            ("unknown server API", await client.GetAsync($"api/servers/{escaped}").DefaultTimeout()),
            ("path under a server", await client.GetAsync($"app/{escaped}/%2e%2e/%2e%2e/x").DefaultTimeout()),
            ("cross-origin refusal", await SecurityRequests.SendAsync(client, "POST", "app/", origin: "http://x" + Payload)),
            ("icon of an unknown server", await client.GetAsync($"_/icons/{escaped}").DefaultTimeout()),
        };

        foreach (var (what, response) in pages)
        {
            var body = await response.Content.ReadAsStringAsync();
            body.Should().NotContain("<script>alert", what);
        }
    }

    [Fact]
    public async Task ConfigText_OnTheLauncherAndDashboard_IsEncoded()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition
        {
            Name = "app",
            Port = backend.Port,
            LauncherEntry = new LauncherEntry { Title = Payload, Category = Payload },
        }]);
        using var client = Html(host.CreateClient());

        (await client.GetStringAsync("").DefaultTimeout()).Should().NotContain(Payload).And.Contain(Encoded);
        (await client.GetStringAsync("_/dashboard").DefaultTimeout()).Should().NotContain(Payload);
    }

    private static HttpClient Html(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("Accept", "text/html");
        return client;
    }
}
