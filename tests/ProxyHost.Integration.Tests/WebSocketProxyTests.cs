using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Proxy.Activity;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>Websockets proxied through YARP to a backend of the test's own, over TCP and Unix sockets.</summary>
public sealed class WebSocketProxyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("first", new[] { "a", "b" }, "a")]
    [InlineData("b", new[] { "a", "b" }, "b")]
    [InlineData("none", new[] { "a", "b" }, null)]
    [InlineData("first", new string[0], null)]
    public async Task ProxiedWebSocket_SubProtocol_IsTheBackendsChoice(string backendChoice, string[] offered, string? expected)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);

        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws/subprotocol/" + backendChoice, o =>
        {
            foreach (var protocol in offered)
            {
                o.AddSubProtocol(protocol);
            }
        });

        socket.SubProtocol.Should().Be(expected);
        socket.HttpStatusCode.Should().Be(HttpStatusCode.SwitchingProtocols);
        await socket.SendTextAsync("hi");
        Encoding.UTF8.GetString((await socket.ReceiveMessageAsync()).Payload).Should().Be("echo:hi");
    }

    [Fact]
    public async Task ProxiedWebSocket_Compression_IsNegotiatedWithTheBackend()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);

        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws/deflate",
            o => o.DangerousDeflateOptions = new WebSocketDeflateOptions());
        var text = new string('x', 10_000);
        await socket.SendTextAsync(text);

        socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single().Should().StartWith("permessage-deflate");
        Encoding.UTF8.GetString((await socket.ReceiveMessageAsync()).Payload).Should().Be("echo:" + text);
    }

    [Fact]
    public async Task ProxiedWebSocket_BackendCloseCodeAndReason_ReachTheClient()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws/close-4001");

        await socket.SendTextAsync("close please");
        var result = await socket.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        result.MessageType.Should().Be(WebSocketMessageType.Close);
        ((int)result.CloseStatus!).Should().Be(4001);
        result.CloseStatusDescription.Should().Be("backend says bye");
    }

    [Fact]
    public async Task ProxiedWebSocket_ClientCloseCode_ReachesTheBackendWhichEchoesIt()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws");

        await socket.CloseAsync((WebSocketCloseStatus)4002, "client says bye", CancellationToken.None).DefaultTimeout();

        ((int)socket.CloseStatus!).Should().Be(4002, "the backend echoes the close code it received");
        socket.CloseStatusDescription.Should().Be("client says bye");
    }

    [Fact]
    public async Task ProxiedWebSocket_FragmentsAndMessageTypes_PassAsSent()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws");
        var buffer = new byte[1024];

        await socket.SendAsync(new byte[] { 1, 2 }, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).DefaultTimeout();
        var first = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        first.EndOfMessage.Should().BeFalse("the backend echoed an unfinished frame and it arrives as one");
        buffer[..first.Count].Should().Equal(1, 2);
        await socket.SendAsync(new byte[] { 3 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).DefaultTimeout();
        var last = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();

        last.EndOfMessage.Should().BeTrue();
        last.MessageType.Should().Be(WebSocketMessageType.Binary);
        buffer[..last.Count].Should().Equal(3);
        await socket.SendTextAsync("text stays text");
        (await socket.ReceiveMessageAsync()).Type.Should().Be(WebSocketMessageType.Text);
    }

    [Fact]
    public async Task ProxiedWebSocket_Ping_ReachesTheBackendAndItsPongComesBack()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)]);
        var (client, stream) = await WebSocketClient.ConnectRawAsync(host, "app/ws");
        using var _ = client;

        await WebSocketClient.WriteClientFrameAsync(stream, 0x9, "are you there"u8.ToArray());
        var (header, payload) = await WebSocketClient.ReadServerFrameAsync(stream);

        header.Should().Be(0x8A, "a FIN pong frame from the backend");
        Encoding.UTF8.GetString(payload).Should().Be("are you there");
    }

    [Fact]
    public async Task ProxiedWebSocket_RefusedBackend_Is502NotA101()
    {
        var port = ClosedPort();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("gone", port)], output: output);
        using var socket = WebSocketClient.Create();

        var connect = () => socket.ConnectAsync(host.WebSocketUri("gone/ws"), TestTimeouts.DefaultToken());

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.BadGateway);
        using var client = host.CreateClient();
        var page = await (await WebSocketClient.SendUpgradeRequestAsync(client, "gone/ws")).Content.ReadAsStringAsync();
        page.Should().Contain("'gone' did not answer");
    }

    [Fact]
    public async Task ProxiedWebSocket_NonWebSocketBackend_IsAnHttpErrorNotA101()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], output: output);
        using var socket = WebSocketClient.Create();

        var connect = () => socket.ConnectAsync(host.WebSocketUri("app/not-a-websocket"), TestTimeouts.DefaultToken());

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.BadGateway);
        using var client = host.CreateClient();
        var response = await WebSocketClient.SendUpgradeRequestAsync(client, "app/not-a-websocket");
        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'app' answered the websocket request with 200 instead of accepting it");
    }

    [Fact]
    public async Task ProxiedWebSocket_UpgradeRequest_GetsHeaderOverridesWithoutProxyHostCredentials()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = Unmanaged("app", backend.Port) with
        {
            RequestHeadersOverride = new Dictionary<string, string> { ["X-Who"] = "proxyhost", ["X-Tool-Port"] = "<port>" },
        };
        await using var host = await TestProxyHost.StartAsync([definition]);

        using var socket = await WebSocketClient.ConnectAsync(host, $"app/ws/headers?token={TestProxyHost.Token}&keep=1", o =>
        {
            o.SetRequestHeader("X-Who", "client-trying-to-override");
            o.SetRequestHeader("Cookie", "theme=dark; proxyhost-auth=abc");
        });
        var report = JsonSerializer.Deserialize<RequestReport>((await socket.ReceiveMessageAsync()).Payload)!;

        report.Path.Should().Be("/ws/headers");
        report.Query.Should().Be("?keep=1");
        report.Header("X-Who").Should().Be("proxyhost");
        report.Header("X-Tool-Port").Should().Be(backend.Port.ToString());
        report.Header("Authorization").Should().BeNull();
        report.Header("Cookie").Should().Be("theme=dark");
        report.Header("X-Forwarded-Prefix").Should().Be("/app");
    }

    [Fact]
    public async Task ProxiedWebSocket_UnixSocketBackend_KeepsSubprotocolAndCloseCode()
    {
        using var directory = new TempDirectory("proxyhost-test-");
        var socketPath = Path.Combine(directory.Path, "backend.sock");
        await using var backend = await TestBackend.StartUnixSocketAsync(socketPath);
        var definition = new ServerProcessDefinition { Name = "uds", UnixSocket = UnixSocketSetting.AtPath(socketPath) };
        await using var host = await TestProxyHost.StartAsync([definition]);

        using (var chooser = await WebSocketClient.ConnectAsync(host, "uds/ws/subprotocol/b", o => { o.AddSubProtocol("a"); o.AddSubProtocol("b"); }))
        {
            chooser.SubProtocol.Should().Be("b");
        }
        using var closer = await WebSocketClient.ConnectAsync(host, "uds/ws/close-4001");
        await closer.SendTextAsync("close please");
        var result = await closer.ReceiveAsync(new byte[1024], CancellationToken.None).DefaultTimeout();

        ((int)result.CloseStatus!).Should().Be(4001);
        result.CloseStatusDescription.Should().Be("backend says bye");
    }

    [Fact]
    public async Task ProxiedWebSocket_IdleTimeout_CutsASilentConnection()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var definition = Unmanaged("app", backend.Port) with { WebSocketIdleTimeout = TimeSpan.FromSeconds(1) };
        await using var host = await TestProxyHost.StartAsync([definition]);
        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws");

        var receive = () => socket.ReceiveAsync(new byte[16], CancellationToken.None).DefaultTimeout();

        await receive.Should().ThrowAsync<WebSocketException>("YARP ends a tunnel that was silent for websocket_idle_timeout");
    }

    [Fact]
    public async Task ProxiedWebSocket_EveryMessage_CountsAsActivity()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        var sink = new CountingActivitySink();
        await using var host = await TestProxyHost.StartAsync([Unmanaged("app", backend.Port)], services: s => s.AddSingleton<IServerActivitySink>(sink));
        using var socket = await WebSocketClient.ConnectAsync(host, "app/ws");
        var atOpen = sink.Count("app");

        for (var i = 0; i < 3; i++)
        {
            await socket.SendTextAsync("m" + i);
            await socket.ReceiveMessageAsync();
        }

        atOpen.Should().BePositive();
        sink.Count("app").Should().BeGreaterThanOrEqualTo(atOpen + 6, "each message in each direction is a write or read on the backend connection");
    }

    internal static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    private static ServerProcessDefinition Unmanaged(string name, int port) => new() { Name = name, Port = port };
}
