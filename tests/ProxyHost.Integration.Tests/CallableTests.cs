using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>C# callables for command, environment, request headers and mappath, with asked-args delegates.</summary>
public sealed class CallableTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Callables_AskedArgsAndContext_ComputeCommandEnvironmentAndHeadersAtStart()
    {
        var definition = new ServerProcessDefinition { Name = "app", Timeout = TimeSpan.FromSeconds(20) }
            .WithCommand((int port) => DummyProgram.Argv("http", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .WithEnvironment((string base_url, int port) => new Dictionary<string, string> { ["FROM_CALLBACK"] = $"{base_url}|{port}" })
            .WithRequestHeaders(async (ServerProcessContext context, CancellationToken cancellationToken) =>
            {
                await Task.Delay(1, cancellationToken);
                return new Dictionary<string, string> { ["X-Server"] = context.ServerName + ":" + context.Port };
            });
        await using var host = await TestProxyHost.StartAsync([definition], baseUrl: "/base/", output: output);
        using var client = host.CreateClient();

        var environment = await client.GetStringAsync("app/env/FROM_CALLBACK").DefaultTimeout();
        var port = host.Supervisor.GetSnapshot("app")!.Endpoint!.Port;
        var echo = await client.GetFromJsonAsync<JsonElement>("app/echo/x");

        environment.Should().Be($"/base/|{port}");
        echo.GetProperty("headers").GetProperty("X-Server").GetString().Should().Be($"app:{port}");
    }

    [Fact]
    public async Task MapPathCallback_MapsPathKeepsQueryAndDictionaryWinsOnExactMatch()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = new ServerProcessDefinition
        {
            Name = "app",
            Port = backend.Port,
            MapPath = new Dictionary<string, string> { ["/exact"] = "/from-dict" },
        }.WithMapPath(path => path.StartsWith("/old/", StringComparison.Ordinal) ? "/new/" + path[5..] : path);
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        var mapped = await client.GetFromJsonAsync<RequestReport>("app/old/page?x=1");
        var dict = await client.GetFromJsonAsync<RequestReport>("app/exact");
        var untouched = await client.GetFromJsonAsync<RequestReport>("app/other");

        mapped!.RawTarget.Should().Be("/new/page?x=1");
        dict!.RawTarget.Should().Be("/from-dict");
        untouched!.RawTarget.Should().Be("/other");
    }

    [Fact]
    public async Task CommandCallback_Throws_RequestGets503NamingTheFailure()
    {
        var definition = new ServerProcessDefinition { Name = "app" }
            .WithCommand(string[] () => throw new InvalidOperationException("no licence server"));
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("app/").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("no licence server");
    }
}
