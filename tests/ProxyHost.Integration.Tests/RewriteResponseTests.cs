using System.Net;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary><c>rewrite_response</c>: buffered rewriting in order for servers that ask for it, streaming for the rest.</summary>
public sealed class RewriteResponseTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rewriters_RunInOrderEachSeeingThePreviousResult()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = new ServerProcessDefinition { Name = "app", Port = backend.Port }.WithRewriteResponse(
            (response, _) =>
            {
                response.Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(response.Body).ToUpperInvariant());
                response.Headers["X-Rewritten"] = response.Path;
                return ValueTask.CompletedTask;
            },
            (response, _) =>
            {
                if (response.Headers.ContainsKey("X-Rewritten"))
                {
                    response.StatusCode = 403;
                    response.Body = [.. response.Body, (byte)'!'];
                }
                return ValueTask.CompletedTask;
            });
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("app/page?x=1");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.ReasonPhrase.Should().Be("Forbidden", "a standard reason follows the new status");
        response.Headers.GetValues("X-Rewritten").Should().Equal("/page?x=1");
        body.Should().StartWith("{\"METHOD\":\"GET\"").And.EndWith("}!");
        response.Content.Headers.ContentLength.Should().Be(Encoding.UTF8.GetByteCount(body));
    }

    [Fact]
    public async Task Rewriters_EventStreamOfTheSameServer_StillStreams()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = new ServerProcessDefinition { Name = "app", Port = backend.Port }
            .WithRewriteResponse((response, _) => { response.Body = []; return ValueTask.CompletedTask; });
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("app/sse?count=1&wait=1", HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        (await reader.ReadLineAsync().DefaultTimeout()).Should().Be("data: event 0");
    }

    [Fact]
    public async Task ProxyRewriteResponse_AppliesToProxyPortTrafficOnly()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output,
            configureOptions: o => o.ProxyRewriteResponse =
            [
                (response, _) =>
                {
                    response.Headers["X-Backend"] = $"{response.Host}:{response.Port}";
                    return ValueTask.CompletedTask;
                },
            ]);
        using var client = host.CreateClient();

        var viaPort = await client.GetAsync($"proxy/{backend.Port}/x");
        var viaName = await client.GetAsync("app/x");

        viaPort.Headers.GetValues("X-Backend").Should().Equal($"localhost:{backend.Port}");
        viaName.Headers.Contains("X-Backend").Should().BeFalse();
    }
}
