using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Proxy.Activity;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>Websockets bridged to raw TCP and Unix-socket services (raw_socket_proxy).</summary>
public sealed class RawSocketBridgeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RawBridge_TcpService_CarriesTextAndBinaryBothWaysAsBinary()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)], output: output);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/any/path/websockify");

        await socket.SendTextAsync("Hello, Bridge");
        var text = await socket.ReceiveMessageAsync();
        await socket.SendAsync(new byte[] { 0x61, 0x00, 0xFF, 0x5A }, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();
        var binary = await socket.ReceiveMessageAsync();

        socket.SubProtocol.Should().BeNull("no subprotocol was offered");
        text.Type.Should().Be(WebSocketMessageType.Binary, "every chunk from the stream is a binary message");
        Encoding.UTF8.GetString(text.Payload).Should().Be("hELLO, bRIDGE");
        binary.Payload.Should().Equal(0x41, 0x00, 0xFF, 0x7A);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).DefaultTimeout();
    }

    [Fact]
    public async Task RawBridge_UnixSocketService_IsBridged()
    {
        using var directory = new TempDirectory("proxyhost-test-");
        var path = Path.Combine(directory.Path, "raw.sock");
        await using var service = SwapCaseEchoServer.StartUnixSocket(path);
        var definition = new ServerProcessDefinition { Name = "raw", UnixSocket = UnixSocketSetting.AtPath(path), RawSocketProxy = true };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var socket = await WebSocketClient.ConnectAsync(host, "raw/");

        await socket.SendTextAsync("over a Unix socket");

        Encoding.UTF8.GetString((await socket.ReceiveMessageAsync()).Payload).Should().Be("OVER A uNIX SOCKET");
    }

    [Fact]
    public async Task RawBridge_PlainHttp_Is405WithAClearMessage()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var client = host.CreateClient();

        var response = await client.GetAsync("vnc/page").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'vnc' is a raw_socket_proxy backend: it only supports websocket connections");
    }

    [Fact]
    public async Task RawBridge_WithoutToken_IsRejectedBeforeConnecting()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        var connect = () => socket.ConnectAsync(host.WebSocketUri("vnc/"), TestTimeouts.DefaultToken());

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(new[] { "base64" }, "base64")]
    [InlineData(new[] { "binary" }, "binary")]
    [InlineData(new[] { "base64", "binary" }, "binary")]
    [InlineData(new[] { "chat" }, null)]
    public async Task RawBridge_SubProtocol_IsChosenWebsockifyStyle(string[] offered, string? expected)
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);

        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/", o =>
        {
            foreach (var protocol in offered)
            {
                o.AddSubProtocol(protocol);
            }
        });

        socket.SubProtocol.Should().Be(expected);
    }

    [Fact]
    public async Task RawBridge_Base64SubProtocol_CarriesBase64TextBothWays()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/", o => o.AddSubProtocol("base64"));
        var base64 = Convert.ToBase64String("RFB 003.008\n"u8);

        await socket.SendAsync(Encoding.ASCII.GetBytes(base64[..5]), WebSocketMessageType.Text, false, CancellationToken.None).DefaultTimeout();
        await socket.SendAsync(Encoding.ASCII.GetBytes(base64[5..]), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        var decoded = new List<byte>();
        while (decoded.Count < 12)
        {
            // The service may answer the first fragment's bytes on their own: each chunk is its own base64 message.
            var reply = await socket.ReceiveMessageAsync();
            reply.Type.Should().Be(WebSocketMessageType.Text);
            decoded.AddRange(Convert.FromBase64String(Encoding.ASCII.GetString(reply.Payload)));
        }

        Encoding.ASCII.GetString([.. decoded]).Should().Be("rfb 003.008\n");
    }

    [Fact]
    public async Task RawBridge_Base64SubProtocolWithBadText_ClosesWith1007()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/", o => o.AddSubProtocol("base64"));

        await socket.SendTextAsync("not base64!");
        var result = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        result.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidPayloadData);
        await service.ClientEnded.DefaultTimeout();
    }

    [Fact]
    public async Task RawBridge_ServiceCloses_ClientGets1000SayingTheBackendClosed()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        await socket.SendTextAsync("bye");
        var result = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        result.MessageType.Should().Be(WebSocketMessageType.Close);
        result.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
        result.CloseStatusDescription.Should().Be("backend closed the connection");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        socket.State.Should().Be(WebSocketState.Closed);
    }

    [Fact]
    public async Task RawBridge_ClientCloses_ServiceSeesEndOfStreamAndClientGetsItsCodeBack()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        await socket.CloseAsync((WebSocketCloseStatus)4002, "client says bye", CancellationToken.None).DefaultTimeout();

        await service.ClientEnded.DefaultTimeout();
        ((int)socket.CloseStatus!).Should().Be(4002);
        socket.CloseStatusDescription.Should().Be("client says bye");
    }

    [Fact]
    public async Task RawBridge_RefusedService_Is502NotA101()
    {
        await using var host = await TestProxyHost.StartAsync([Raw("gone", WebSocketProxyTests.ClosedPort())]);
        using var socket = WebSocketClient.Create();

        var connect = () => socket.ConnectAsync(host.WebSocketUri("gone/"), TestTimeouts.DefaultToken());

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.BadGateway);
        using var client = host.CreateClient();
        var page = await (await WebSocketClient.SendUpgradeRequestAsync(client, "gone/")).Content.ReadAsStringAsync();
        page.Should().Contain("'gone' did not accept a connection");
    }

    [Fact]
    public async Task RawBridge_IdleTimeout_ClosesWith1001()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        var definition = Raw("vnc", service.Port) with { WebSocketIdleTimeout = TimeSpan.FromMilliseconds(500) };
        await using var host = await TestProxyHost.StartAsync([definition]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        var result = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        result.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("idle timeout");
        await service.ClientEnded.DefaultTimeout();
    }

    [Fact]
    public async Task RawBridge_HostStopping_ClosesWith1001()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        var stopping = host.App.StopAsync();
        var result = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        result.CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable);
        result.CloseStatusDescription.Should().Be("ProxyHost is stopping");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        await stopping.DefaultTimeout();
    }

    [Fact]
    public async Task RawBridge_PingInterval_PingsAnIdleClient()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        var definition = Raw("vnc", service.Port) with { WebSocketPingInterval = TimeSpan.FromMilliseconds(200) };
        await using var host = await TestProxyHost.StartAsync([definition]);
        var (client, stream) = await WebSocketClient.ConnectRawAsync(host, "vnc/");
        using var _ = client;

        var (header, _) = await WebSocketClient.ReadServerFrameAsync(stream);

        header.Should().Be(0x89, "the first frame on a silent bridge is ProxyHost's keep-alive ping");
    }

    [Fact]
    public async Task RawBridge_EveryMessage_CountsAsActivity()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        var sink = new CountingActivitySink();
        await using var host = await TestProxyHost.StartAsync([Raw("vnc", service.Port)], services: s => s.AddSingleton<IServerActivitySink>(sink));
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        for (var i = 0; i < 3; i++)
        {
            await socket.SendTextAsync("m" + i);
            await socket.ReceiveMessageAsync();
        }

        sink.Count("vnc").Should().Be(1 + 3 + 3, "the open, then each message in each direction");
    }

    [Fact]
    public async Task RawBridge_SupervisedService_StartsLazilyAndAgainAfterItStops()
    {
        var definition = new ServerProcessDefinition
        {
            Name = "echo",
            Command = [.. DummyProgram.Argv("tcp-echo", "--port", "<port>")],
            Timeout = TimeSpan.FromSeconds(20),
            RawSocketProxy = true,
        };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        host.Supervisor.GetSnapshot("echo")!.State.Should().Be(ServerProcessState.NotStarted);

        using var first = await WebSocketClient.ConnectAsync(host, "echo/");
        await first.SendTextAsync("first");
        Encoding.UTF8.GetString((await first.ReceiveMessageAsync()).Payload).Should().Be("FIRST");
        await host.Supervisor.StopAsync("echo", TestTimeouts.DefaultToken()).DefaultTimeout();
        var closed = await first.ReceiveAsync(new byte[64], CancellationToken.None).DefaultTimeout();
        closed.MessageType.Should().Be(WebSocketMessageType.Close, "the bridge closes the websocket when the service goes away");

        using var second = await WebSocketClient.ConnectAsync(host, "echo/");
        await second.SendTextAsync("second");

        Encoding.UTF8.GetString((await second.ReceiveMessageAsync()).Payload).Should().Be("SECOND");
        host.Supervisor.GetSnapshot("echo")!.State.Should().Be(ServerProcessState.Running);
    }

    [Fact]
    public async Task RawBridge_200MegabytesEachWay_PassWithBoundedMemory()
    {
        const long total = 200L * 1024 * 1024;
        const int chunk = 64 * 1024;
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync([Raw("bulk", service.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "bulk/");
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefgh", chunk / 8)));
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        long peak = 0;

        var sending = Task.Run(async () =>
        {
            for (long sent = 0; sent < total; sent += chunk)
            {
                await socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        });
        var buffer = new byte[chunk];
        long received = 0;
        var intact = true;
        while (received < total)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Default);
            intact &= buffer.AsSpan(0, result.Count).IndexOfAnyExcept("ABCDEFGH"u8) < 0;
            if (received / (16 * 1024 * 1024) != (received + result.Count) / (16 * 1024 * 1024))
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false) - before);
            }
            received += result.Count;
        }
        await sending.DefaultTimeout();
        stopwatch.Stop();
        output.WriteLine($"200 MB each way in {stopwatch.Elapsed.TotalSeconds:F1} s; peak managed memory growth {peak / (1024 * 1024)} MB");

        received.Should().Be(total);
        intact.Should().BeTrue("every byte came back swapped");
        peak.Should().BeLessThan(64L * 1024 * 1024, "the bridge holds one buffer per direction, not the transfer");
    }

    private static ServerProcessDefinition Raw(string name, int port) => new() { Name = name, Port = port, RawSocketProxy = true };
}
