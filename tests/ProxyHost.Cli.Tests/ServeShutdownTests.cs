using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Serialization;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary>Stopping <c>serve</c> while websockets are open: they are closed, not waited on, and nothing is left behind.</summary>
public sealed partial class ServeProcessTests
{
    /// <summary>Far below the command line's termination timeout, so a pass means the shutdown finished on its own.</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(8);

    [Theory]
    [InlineData(Sigterm)]
    [InlineData(Sigint)]
    public async Task Serve_StopWithOpenWebSockets_ClosesThemWith1001StopsEveryTreeAndExitsZero(int signal)
    {
        var pidFile = Path.Combine(_directory.Path, "tree.pid");
        var config = WriteConfig(new
        {
            servers = new
            {
                lab = new { command = DummyProgram.Argv("http", "--unix-socket", "<unix_socket>", "--spawn-child", pidFile), unix_socket = true },
                vnc = new { command = DummyProgram.Argv("tcp-echo", "--unix-socket", "<unix_socket>"), unix_socket = true, raw_socket_proxy = true },
            },
        });
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token");
        var origin = new Uri(new Uri((await ReadListeningUrlAsync(serve)).Split('?')[0]), "/");
        using var client = new HttpClient { BaseAddress = origin };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "secret-token");

        using var tunnel = await ConnectAsync(origin, "lab/ws", "hello", "hello");
        using var bridge = await ConnectAsync(origin, "vnc/", "abc", "ABC");
        var servers = await Task.WhenAll(
            client.GetFromJsonAsync<RunningServer>("api/servers/lab").DefaultTimeout(),
            client.GetFromJsonAsync<RunningServer>("api/servers/vnc").DefaultTimeout());
        var tree = ProcessChecks.Descendants(serve.Id);
        tree.Should().Contain(await ProcessChecks.ReadPidFileAsync(pidFile, 2)).And.Contain(servers.Select(s => s!.Pid));
        var socketFolders = servers.Select(s => Path.GetDirectoryName(s!.UnixSocket)!).ToList();
        socketFolders.Should().OnlyContain(folder => Directory.Exists(folder));
        var tunnelClose = ReceiveCloseAsync(tunnel);
        var bridgeClose = ReceiveCloseAsync(bridge);

        var clock = Stopwatch.StartNew();
        Signal(serve.Id, signal);
        await serve.WaitForExitAsync().DefaultTimeout();
        var shutdown = clock.Elapsed;

        serve.ExitCode.Should().Be(0, "stderr: " + await serve.StandardError.ReadToEndAsync());
        shutdown.Should().BeLessThan(ShutdownBound);
        (await tunnelClose.DefaultTimeout()).Should().Be("close 1001", "ProxyHost closes a proxied websocket with 'going away'");
        (await bridgeClose.DefaultTimeout()).Should().Be("close 1001", "ProxyHost closes a raw-socket bridge with 'going away'");
        foreach (var pid in tree)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} must not outlive proxyhost serve");
        }
        socketFolders.Should().OnlyContain(folder => !Directory.Exists(folder), "a stopped server's socket folder is removed");
    }

    /// <summary>Opens an authenticated websocket through ProxyHost and checks one round trip, so the backend is connected.</summary>
    private static async Task<ClientWebSocket> ConnectAsync(Uri origin, string path, string send, string expected)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token secret-token");
        socket.Options.AddSubProtocol("binary");
        await socket.ConnectAsync(new Uri(new UriBuilder(origin) { Scheme = "ws" }.Uri, path), TestTimeouts.DefaultToken()).DefaultTimeout();
        await socket.SendAsync(Encoding.UTF8.GetBytes(send), WebSocketMessageType.Binary, true, TestTimeouts.DefaultToken()).DefaultTimeout();
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, TestTimeouts.DefaultToken()).DefaultTimeout();
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be(expected);
        return socket;
    }

    /// <summary>
    /// What the client sees next: "close &lt;code&gt;" for a close frame (answered, as a browser does), or how
    /// the connection broke without one.
    /// </summary>
    private static async Task<string> ReceiveCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1024];
        try
        {
            var result = await socket.ReceiveAsync(buffer, TestTimeouts.DefaultToken());
            if (result.MessageType != WebSocketMessageType.Close)
            {
                return $"a {result.MessageType} message";
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeouts.DefaultToken());
            return $"close {(int?)result.CloseStatus}";
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return "no close frame: " + e.Message;
        }
    }

    private sealed record RunningServer(int Pid, [property: JsonPropertyName("unix_socket")] string UnixSocket);
}
