using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>Another process on a server's fixed port is reported, not proxied to.</summary>
public sealed class PortSquatterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FirstRequest_FixedPortTakenByAnotherProcess_Answers503NamingThePortAtOnce()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var definition = new ServerProcessDefinition
        {
            Name = "lab",
            Command = DummyProgram.Argv("http", "--port", "<port>"),
            Port = port,
            Timeout = TimeSpan.FromMinutes(2),
        };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();
        var watch = Stopwatch.StartNew();

        var response = await client.GetAsync("lab/").DefaultTimeout();

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the start fails at once, not after the server's 2 min timeout");
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain($"port {port} is already in use by another process");
        using var state = JsonDocument.Parse(await client.GetStringAsync("api/servers/lab").DefaultTimeout());
        state.RootElement.GetProperty("state").GetString().Should().Be("failed");
        state.RootElement.GetProperty("last_error").GetString().Should().Be($"port {port} is already in use by another process; ProxyHost did not start 'lab'");
        state.RootElement.GetProperty("pid").ValueKind.Should().Be(JsonValueKind.Null);
        host.Supervisor.GetLog("lab")!.Tail(100).Should().NotContain(l => l.Text.StartsWith("started process", StringComparison.Ordinal));
    }
}
