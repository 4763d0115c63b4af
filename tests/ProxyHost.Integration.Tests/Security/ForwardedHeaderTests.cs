using System.Text.Json;
using FluentAssertions;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>What a client sends that must not reach the backend as sent: hop-by-hop headers and headers the server's config overrides.</summary>
public sealed class ForwardedHeaderTests
{
    [Theory]
    [InlineData("app/")]
    [InlineData("proxy/{port}/")]
    public async Task HopByHopHeaders_AndHeadersNamedInConnection_AreNotForwarded(string route)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }]);

        var report = await SendAsync(host, route.Replace("{port}", backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            "Connection: keep-alive, X-Secret, X-Other-Secret", "X-Secret: 1", "X-Other-Secret: 2", "Keep-Alive: timeout=5",
            "Proxy-Connection: keep-alive", "Proxy-Authorization: Basic eDp5", "X-Kept: yes");

        report.Header("X-Kept").Should().Be("yes");
        foreach (var name in new[] { "X-Secret", "X-Other-Secret", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization" })
        {
            report.Header(name).Should().BeNull($"{name} is hop-by-hop for this request");
        }
        report.Header("Connection").Should().NotContain("X-Secret");
    }

    [Fact]
    public async Task RequestHeadersOverride_ClientDuplicatesInAnyCase_AreReplaced()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition
        {
            Name = "app",
            Port = backend.Port,
            RequestHeadersOverride = new EquatableMap([new("X-Remote-User", "ana")]),
        }]);

        var report = await SendAsync(host, "app/",
            "X-Remote-User: admin", "x-remote-user: root", "X-REMOTE-USER: admin, ana", "X-Forwarded-Prefix: /evil/", "X-Forwarded-Prefix: /evil2/");

        report.Header("X-Remote-User").Should().Be("ana");
        report.Header("X-Forwarded-Prefix").Should().Be("/app");
    }

    private static async Task<RequestReport> SendAsync(TestProxyHost host, string path, params string[] headers)
    {
        var response = await RawHttp.SendAsync(host, "GET", "/" + path, headers);
        response.Status.Should().Be(200, response.Head);
        var json = response.Body[response.Body.IndexOf('{', StringComparison.Ordinal)..(response.Body.LastIndexOf('}') + 1)];
        return JsonSerializer.Deserialize<RequestReport>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
