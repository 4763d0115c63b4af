using System.Net;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Metrics_CountRequestsBytesStatusClassesAndLatencyPerServer()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await client.GetStringAsync("app/").DefaultTimeout()).Should().Be("dummy ok");
        }
        (await client.GetAsync("app/no-such-page").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var metrics = await ScrapeAsync(client);

        metrics.Should().Contain("# TYPE proxyhost_requests_total counter\n")
            .And.Contain("proxyhost_requests_total{server=\"app\",status_class=\"2xx\"} 3\n")
            .And.Contain("proxyhost_requests_total{server=\"app\",status_class=\"4xx\"} 1\n")
            .And.Contain("proxyhost_response_bytes_total{server=\"app\"} 24\n", "three 8-byte 'dummy ok' bodies, and the 404 has none")
            .And.Contain("# TYPE proxyhost_request_duration_seconds histogram\n")
            .And.Contain("proxyhost_request_duration_seconds_bucket{server=\"app\",le=\"+Inf\"} 4\n")
            .And.Contain("proxyhost_request_duration_seconds_count{server=\"app\"} 4\n");
    }

    [Fact]
    public async Task Metrics_CountProcessStartsRestartsFailuresAndTimeToReady()
    {
        await using var host = await TestProxyHost.StartAsync(
            [Dummy("app", "http", "--port", "<port>"), Dummy("bad", "exit", "--code", "3")], output: output);
        using var client = host.CreateClient();
        await client.GetStringAsync("app/").DefaultTimeout();
        await host.Supervisor.RestartAsync("app", CancellationToken.None).DefaultTimeout();
        (await client.GetAsync("bad/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        var metrics = await ScrapeAsync(client);

        metrics.Should().Contain("proxyhost_process_starts_total{server=\"app\"} 2\n")
            .And.Contain("proxyhost_process_restarts_total{server=\"app\"} 1\n")
            .And.Contain("proxyhost_process_time_to_ready_seconds_count{server=\"app\"} 2\n")
            .And.Contain("proxyhost_process_failures_total{server=\"bad\"} 1\n")
            .And.Contain("proxyhost_requests_total{server=\"bad\",status_class=\"5xx\"} 1\n");
    }

    [Fact]
    public async Task Metrics_ShowOpenWebSocketsAsGauge()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + TestProxyHost.Token);
        await socket.ConnectAsync(host.WebSocketUri("app/ws"), CancellationToken.None).DefaultTimeout();
        await socket.SendAsync(Encoding.UTF8.GetBytes("hi"), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        await socket.ReceiveAsync(new byte[16], CancellationToken.None).DefaultTimeout();

        (await ScrapeAsync(client)).Should().Contain("proxyhost_connections_open{kind=\"websocket\",server=\"app\"} 1\n");

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).DefaultTimeout();
        var closed = await PollAsync(client, m => m.Contains("proxyhost_connections_open{kind=\"websocket\",server=\"app\"} 0\n"));
        closed.Should().BeTrue();
    }

    [Fact]
    public async Task Metrics_WithoutToken_Is401()
    {
        await using var host = await TestProxyHost.StartAsync([], output: output);
        using var client = host.CreateClient(withToken: false);

        (await client.GetAsync("metrics").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("metrics").DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain; version=0.0.4");
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<bool> PollAsync(HttpClient client, Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!timeout.IsCancellationRequested)
        {
            if (condition(await ScrapeAsync(client)))
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    private static ServerProcessDefinition Dummy(string name, params string[] arguments) =>
        new() { Name = name, Command = DummyProgram.Argv(arguments), Timeout = TimeSpan.FromSeconds(20) };
}
