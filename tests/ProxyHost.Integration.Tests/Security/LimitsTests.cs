using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>What one client may make ProxyHost hold, each limit tested on a real loopback connection.</summary>
public sealed class LimitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Headers_LargerThanTheLimit_Are431()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output);
        using var client = host.CreateClient();
        using var small = new HttpRequestMessage(HttpMethod.Get, "app/");
        small.Headers.Add("X-Big", new string('a', 16 * 1024));
        using var big = new HttpRequestMessage(HttpMethod.Get, "app/");
        big.Headers.Add("X-Big", new string('a', 40 * 1024));

        (await client.SendAsync(small).DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.SendAsync(big).DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_OverTheServersLimit_Is413AndUnderItPasses(bool chunked)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "small", Port = backend.Port, MaxRequestBodySize = 1000 }, new ServerProcessDefinition { Name = "app", Port = backend.Port }],
            output: output, configureOptions: o => o.Limits.MaxRequestBodySize = 100_000);
        using var client = host.CreateClient();

        (await PostAsync(client, "small/", 900, chunked)).Should().Be(HttpStatusCode.OK);
        (await PostAsync(client, "small/", 1500, chunked)).Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await PostAsync(client, "app/", 50_000, chunked)).Should().Be(HttpStatusCode.OK, "servers without their own limit get the host's");
        (await PostAsync(client, "app/", 150_000, chunked)).Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Connections_OverThePerClientLimit_AreClosedAndFreedOnesCountAgain()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output, configureOptions: o => o.Limits.MaxConnectionsPerClient = 2);

        using var first = await OpenKeptAliveAsync(host);
        using var second = await OpenKeptAliveAsync(host);
        using (var third = new TcpClient())
        {
            await third.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
            var status = await TryRequestAsync(third.GetStream(), host);
            status.Should().BeNull("the third connection from one address is closed unanswered");
        }

        first.Dispose();
        string? again = null;
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 200 && again is null && clock.Elapsed < TestTimeouts.Default; attempt++)
        {
            // Kestrel notices the closed connection asynchronously; each try is a real connection, no sleeping.
            using var retry = new TcpClient();
            await retry.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
            again = await TryRequestAsync(retry.GetStream(), host);
        }
        again.Should().StartWith("HTTP/1.1 200");
    }

    [Fact]
    public async Task IdleConnectionsThatNeverAuthenticate_DoNotLockOutAnAuthenticatedRequest()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output);
        var idle = new List<TcpClient>();
        try
        {
            // 300 sockets that never send a byte (another local user shares 127.0.0.1), then 50 that get a 401 and stay open.
            for (var i = 0; i < 300; i++)
            {
                idle.Add(await ConnectAsync(host));
            }
            var unauthenticated = 0;
            for (var i = 0; i < 50; i++)
            {
                var client = await ConnectAsync(host);
                idle.Add(client);
                unauthenticated += await TryRequestAsync(client.GetStream(), host, withToken: false) is { } status && status.StartsWith("HTTP/1.1 401", StringComparison.Ordinal) ? 1 : 0;
            }
            output.WriteLine($"{unauthenticated} of 50 unauthenticated requests were answered");

            using var authenticated = host.CreateClient();
            var response = await authenticated.GetAsync("app/").DefaultTimeout();

            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task ConnectionsThatNeverAuthenticate_OverThePerClientLimit_TheOldestIsClosed()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output, configureOptions: o => o.Limits.MaxConnectionsPerClient = 2);
        using var authenticated = await ConnectAsync(host);
        (await TryRequestAsync(authenticated.GetStream(), host, method: "HEAD")).Should().StartWith("HTTP/1.1 200");
        // Each answered 401 shows the connection was admitted, so the order of admission is known.
        using var oldest = await ConnectAsync(host);
        (await TryRequestAsync(oldest.GetStream(), host, withToken: false)).Should().StartWith("HTTP/1.1 401");
        using var second = await ConnectAsync(host);
        (await TryRequestAsync(second.GetStream(), host, withToken: false)).Should().StartWith("HTTP/1.1 401");

        using var third = await ConnectAsync(host);

        await ReadToEndAsync(oldest.GetStream()); // returns once the connection is closed; a timeout fails the test
        (await TryRequestAsync(authenticated.GetStream(), host, method: "HEAD")).Should().StartWith("HTTP/1.1 200", "authenticated connections are never evicted");
        (await TryRequestAsync(third.GetStream(), host, method: "HEAD")).Should().StartWith("HTTP/1.1 200");
    }

    [Fact]
    public async Task SlowLoris_HeadersNeverFinished_AreCutOffAfterTheHeadersTimeout()
    {
        await using var host = await TestProxyHost.StartAsync(output: output, configureOptions: o => o.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
        var stream = client.GetStream();
        var clock = Stopwatch.StartNew();

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {host.Address.Authority}\r\nX-Slow: a")).DefaultTimeout();
        var answer = await ReadToEndAsync(stream);

        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5));
        answer.Should().Match(a => a.Length == 0 || a.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), "Kestrel answers 408 or just closes");
    }

    [Fact]
    public async Task SlowBody_BelowTheConfiguredRate_IsCutOff()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        // 2000 B/s is above Kestrel's own default (240 B/s), so only the configured rate cuts off a 1000 B/s sender.
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }], output: output,
            configureOptions: o => (o.Limits.MinRequestBodyDataRate, o.Limits.MinRequestBodyGracePeriod) = (2000, TimeSpan.FromSeconds(2)));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
        var stream = client.GetStream();
        const int chunks = 150;
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /app/ HTTP/1.1\r\nHost: {host.Address.Authority}\r\nAuthorization: token {TestProxyHost.Token}\r\nContent-Length: {chunks * 100}\r\n\r\n")).DefaultTimeout();
        var answer = ReadToEndAsync(stream);

        // A slow client is the thing under test, so it is paced by a timer: 100 bytes every 100 ms, 15 s in all.
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var sent = 0;
        while (sent < chunks && !answer.IsCompleted && await pace.WaitForNextTickAsync())
        {
            try
            {
                await stream.WriteAsync(new byte[100]).DefaultTimeout();
                sent++;
            }
            catch (IOException)
            {
                break;
            }
        }

        var text = await answer;
        output.WriteLine($"sent {sent} of {chunks} chunks; answer: {text.Split("\r\n")[0]}");
        sent.Should().BeLessThan(chunks, "ProxyHost stops reading a body that arrives slower than the configured rate");
        text.Should().Match(a => a.Length == 0 || a.StartsWith("HTTP/1.1 408", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RawBridge_MessageOverTheLimit_ClosesWith1009()
    {
        await using var service = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "vnc", Port = service.Port, RawSocketProxy = true }], output: output,
            configureOptions: o => o.Limits.MaxWebSocketMessageSize = 1000);
        using var socket = await WebSocketClient.ConnectAsync(host, "vnc/");

        await socket.SendAsync(new byte[900], WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();
        (await socket.ReceiveMessageAsync()).Payload.Length.Should().BeGreaterThan(0);
        await socket.SendAsync(new byte[600], WebSocketMessageType.Binary, false, CancellationToken.None).DefaultTimeout();
        await socket.SendAsync(new byte[600], WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new byte[64 * 1024], CancellationToken.None).DefaultTimeout();
        }
        while (result.MessageType != WebSocketMessageType.Close);

        result.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig, "900 bytes passed, 1200 in one message (two frames) did not");
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string path, int size, bool chunked)
    {
        HttpContent content = chunked ? new StreamContent(new MemoryStream(new byte[size])) : new ByteArrayContent(new byte[size]);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        try
        {
            using var response = await client.SendAsync(request).DefaultTimeout();
            return response.StatusCode;
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // ProxyHost answered 413 and closed while the client was still sending; the status is lost with the connection.
            return HttpStatusCode.RequestEntityTooLarge;
        }
    }

    private static async Task<TcpClient> OpenKeptAliveAsync(TestProxyHost host)
    {
        var client = await ConnectAsync(host);
        (await TryRequestAsync(client.GetStream(), host)).Should().StartWith("HTTP/1.1 200");
        return client;
    }

    private static async Task<TcpClient> ConnectAsync(TestProxyHost host)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
        return client;
    }

    /// <summary>One request on a kept-alive connection; its status line once the headers are in, or null when the connection was closed unanswered.</summary>
    private static async Task<string?> TryRequestAsync(NetworkStream stream, TestProxyHost host, bool withToken = true, string method = "GET")
    {
        try
        {
            var authorization = withToken ? $"Authorization: token {TestProxyHost.Token}\r\n" : "";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"{method} /app/ HTTP/1.1\r\nHost: {host.Address.Authority}\r\n{authorization}\r\n")).DefaultTimeout();
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!answer.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer).DefaultTimeout();
                if (read == 0)
                {
                    return answer.Length == 0 ? null : answer.ToString().Split("\r\n")[0];
                }
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            return answer.ToString().Split("\r\n")[0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).DefaultTimeout()) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
        }
        return text.ToString();
    }
}
