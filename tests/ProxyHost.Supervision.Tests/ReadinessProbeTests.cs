using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Readiness;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class ReadinessProbeTests
{
    [Fact]
    public async Task HttpProbe_ServerAnswersWithErrorStatus_CountsAsReady()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = AnswerOnceAsync(listener.AcceptSocketAsync(), "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var probe = new HttpReadinessProbe();

        var ready = await probe.ProbeAsync(ServerEndpoint.Tcp(((IPEndPoint)listener.LocalEndpoint).Port), CancellationToken.None).DefaultTimeout();

        ready.Should().BeTrue();
        (await serving.DefaultTimeout()).Should().StartWith("GET / HTTP/1.1");
    }

    [Fact]
    public async Task HttpProbe_ServerRedirects_CountsAsReadyWithoutFollowing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = AnswerOnceAsync(listener.AcceptSocketAsync(), "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var probe = new HttpReadinessProbe();

        var ready = await probe.ProbeAsync(ServerEndpoint.Tcp(((IPEndPoint)listener.LocalEndpoint).Port), CancellationToken.None).DefaultTimeout();

        ready.Should().BeTrue();
        await serving.DefaultTimeout();
    }

    [Fact]
    public async Task HttpProbe_NothingListening_IsNotReady()
    {
        using var probe = new HttpReadinessProbe();

        var ready = await probe.ProbeAsync(ServerEndpoint.Tcp(new PortAllocator().AllocatePort()), CancellationToken.None).DefaultTimeout();

        ready.Should().BeFalse();
    }

    [Fact]
    public async Task HttpProbe_ServerNeverAnswers_IsNotReadyAfterAttemptTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var probe = new HttpReadinessProbe { AttemptTimeout = TimeSpan.FromMilliseconds(300) };

        var ready = await probe.ProbeAsync(ServerEndpoint.Tcp(((IPEndPoint)listener.LocalEndpoint).Port), CancellationToken.None).DefaultTimeout();

        ready.Should().BeFalse();
    }

    [Fact]
    public async Task HttpProbe_UnixSocketServer_CountsAsReady()
    {
        using var directory = new UnixSocketPathAllocator().Allocate("probe");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(directory.SocketPath));
        listener.Listen();
        var serving = AnswerOnceAsync(listener.AcceptAsync(), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var probe = new HttpReadinessProbe();

        var ready = await probe.ProbeAsync(ServerEndpoint.UnixSocket(directory.SocketPath), CancellationToken.None).DefaultTimeout();

        ready.Should().BeTrue();
        await serving.DefaultTimeout();
    }

    [Fact]
    public async Task ConnectProbe_ListeningAndClosedPorts_ReportsReadiness()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var probe = new ConnectReadinessProbe();

        var open = await probe.ProbeAsync(ServerEndpoint.Tcp(((IPEndPoint)listener.LocalEndpoint).Port), CancellationToken.None).DefaultTimeout();
        var closed = await probe.ProbeAsync(ServerEndpoint.Tcp(new PortAllocator().AllocatePort()), CancellationToken.None).DefaultTimeout();

        open.Should().BeTrue();
        closed.Should().BeFalse();
    }

    [Fact]
    public async Task ConnectProbe_UnixSocket_ReadyOnlyWhileListening()
    {
        using var directory = new UnixSocketPathAllocator().Allocate("probe");
        var probe = new ConnectReadinessProbe();
        var endpoint = ServerEndpoint.UnixSocket(directory.SocketPath);
        var before = await probe.ProbeAsync(endpoint, CancellationToken.None).DefaultTimeout();
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(directory.SocketPath));
        listener.Listen();

        var after = await probe.ProbeAsync(endpoint, CancellationToken.None).DefaultTimeout();

        before.Should().BeFalse();
        after.Should().BeTrue();
    }

    private static async Task<string> AnswerOnceAsync(Task<Socket> accepting, string response)
    {
        using var socket = await accepting;
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                break;
            }
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        await socket.SendAsync(Encoding.ASCII.GetBytes(response));
        socket.Shutdown(SocketShutdown.Both);
        return request.ToString();
    }
}
