using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Every endpoint mapped in the running host, found through the routing system's own
/// <see cref="EndpointDataSource"/> (so endpoints added later by any feature are covered without
/// touching this test), answers 401 to a request without credentials: plain and as a websocket upgrade.
/// </summary>
public sealed class EndpointAuthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryMappedEndpoint_WithoutCredentials_Is401ForEveryMethodAndForWebSocketUpgrades()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var raw = SwapCaseEchoServer.StartTcp();
        await using var host = await StartHostAsync(backend, raw);
        using var anonymous = host.CreateClient(withToken: false);
        using var authenticated = host.CreateClient();

        var probes = Probes(host).ToList();
        output.WriteLine(string.Join('\n', probes.Select(p => $"{p.Method} {p.Path}  ({p.Endpoint})")));

        probes.Select(p => p.Endpoint).Should().Contain(e => e.Contains("app", StringComparison.Ordinal), "the YARP route of a server is enumerated")
            .And.Contain(e => e.Contains("vnc", StringComparison.Ordinal), "the raw-socket bridge's route is enumerated")
            .And.Contain(e => e.Contains("proxy/", StringComparison.Ordinal), "arbitrary-port proxying is enumerated")
            .And.Contain(e => e.Contains("relay/", StringComparison.Ordinal), "the relay's websocket endpoint is enumerated")
            .And.Contain(e => e.Contains("_/messaging/", StringComparison.Ordinal), "the typed-messaging site is enumerated")
            .And.Contain(e => e.Contains("narvi", StringComparison.Ordinal), "the app services are enumerated");
        foreach (var probe in probes)
        {
            using var plain = await SecurityRequests.SendAsync(anonymous, probe.Method, probe.Path);
            plain.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{probe.Method} {probe.Path} ({probe.Endpoint}) must need the token");
            using var upgrade = await SecurityRequests.SendAsync(anonymous, "GET", probe.Path, webSocketUpgrade: true);
            upgrade.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"a websocket upgrade to {probe.Path} ({probe.Endpoint}) must need the token");
            using var withToken = await SecurityRequests.SendAsync(authenticated, probe.Method, probe.Path);
            withToken.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized, $"{probe.Method} {probe.Path} is a real endpoint, so the 401 above was the auth check");
        }
    }

    [Fact]
    public async Task NoEndpoint_CarriesAllowAnonymous_UnlessMetricsAreExemptedExplicitly()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var raw = SwapCaseEchoServer.StartTcp();
        await using (var host = await StartHostAsync(backend, raw))
        {
            AnonymousEndpoints(host).Should().BeEmpty();
        }

        await using var exempted = await StartHostAsync(backend, raw, o => o.MetricsWithoutAuth = true);
        using var anonymous = exempted.CreateClient(withToken: false);

        AnonymousEndpoints(exempted).Should().Equal("/metrics");
        (await anonymous.GetAsync("metrics").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("api/servers").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("GET", "no-such-server/x")]
    [InlineData("POST", "no-such-server/x")]
    [InlineData("GET", "_/no-such-page")]
    [InlineData("GET", "../../etc/passwd")]
    public async Task UnmappedPaths_WithoutCredentials_Are401NotAHintOfWhatExists(string method, string path)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var raw = SwapCaseEchoServer.StartTcp();
        await using var host = await StartHostAsync(backend, raw);
        using var anonymous = host.CreateClient(withToken: false);

        using var response = await SecurityRequests.SendAsync(anonymous, method, path);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static Task<TestProxyHost> StartHostAsync(TestBackend backend, SwapCaseEchoServer raw, Action<ProxyHostOptions>? configure = null) =>
        TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }, new ServerProcessDefinition { Name = "vnc", Port = raw.Port, RawSocketProxy = true }],
            configureOptions: configure,
            // Features that map endpoints only when configured are configured here, so their endpoints are enumerated too.
            configureHost: proxyHost => proxyHost
                .AddRelay("notes", new RelayOptions())
                .AddTypedMessaging("chat", _ => { }));

    private static List<string> AnonymousEndpoints(TestProxyHost host) => host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        .Select(e => e.RoutePattern.RawText ?? "")
        .ToList();

    /// <summary>One request per endpoint and method, with route parameters filled by sample values.</summary>
    private static IEnumerable<(string Method, string Path, string Endpoint)> Probes(TestProxyHost host)
    {
        foreach (var endpoint in host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = SamplePath(endpoint.RoutePattern);
            var relative = path.StartsWith(host.BaseUrl, StringComparison.Ordinal) ? path[host.BaseUrl.Length..] : path.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE"];
            foreach (var method in methods)
            {
                yield return (method, relative, endpoint.DisplayName ?? endpoint.RoutePattern.RawText ?? "?");
            }
        }
    }

    private static string SamplePath(RoutePattern pattern) => "/" + string.Join('/', pattern.PathSegments.Select(segment =>
        string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "1/x",
            RoutePatternParameterPart parameter when pattern.ParameterPolicies.TryGetValue(parameter.Name, out var policies)
                && policies.Any(p => p.Content is "int" or "long") => "1",
            RoutePatternParameterPart => "app",
            _ => "x",
        }))));
}
