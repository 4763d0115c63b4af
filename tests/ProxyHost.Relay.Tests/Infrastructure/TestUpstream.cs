using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Tests;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>
/// A tiny real Kestrel websocket server standing in for a multiplexing upstream: it records every upgrade
/// request's Authorization header and every frame, lets the test send raw frames, and can refuse or drop
/// connections on demand.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<UpstreamPeer> _connections = Channel.CreateUnbounded<UpstreamPeer>();

    private TestUpstream(WebApplication app) => _app = app;

    public Uri Uri { get; private set; } = null!;

    /// <summary>Authorization header of each upgrade attempt, in order (null when absent).</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>When set, upgrades need exactly this HTTP Basic user and password, else 401.</summary>
    public (string User, string Password)? RequiredCredentials { get; set; }

    /// <summary>When not 0, every upgrade is refused with this status (the upstream is "down").</summary>
    public int RefuseWith { get; set; }

    public static async Task<TestUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new TestUpstream(app);
        app.UseWebSockets();
        app.Map("/", upstream.HandleAsync);
        await app.StartAsync().DefaultTimeout();
        upstream.Uri = new UriBuilder(ListeningAddress.Of(app.Services)) { Scheme = "ws" }.Uri;
        return upstream;
    }

    /// <summary>The next accepted connection.</summary>
    public async Task<UpstreamPeer> AcceptAsync() => await _connections.Reader.ReadAsync(TestTimeouts.DefaultToken()).AsTask().DefaultTimeout();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        Authorizations.Enqueue(authorization.Length == 0 ? null : authorization);
        if (RefuseWith != 0)
        {
            context.Response.StatusCode = RefuseWith;
            return;
        }
        if (RequiredCredentials is var (user, password)
            && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"test upstream\"";
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var peer = new UpstreamPeer(socket);
        _connections.Writer.TryWrite(peer);
        await peer.RunAsync();
    }
}

/// <summary>One connection the relay opened to the <see cref="TestUpstream"/>.</summary>
public sealed class UpstreamPeer(WebSocket socket)
{
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ended => _ended.Task;

    public async Task<byte[]> ReceiveAsync() => await _received.Reader.ReadAsync(TestTimeouts.DefaultToken()).AsTask().DefaultTimeout();

    public Task SendAsync(byte[] frame) => socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    /// <summary>Drops the connection without a close handshake, as a crashing upstream would.</summary>
    public void Abort() => socket.Abort();

    internal async Task RunAsync()
    {
        await MessageLoop.RunAsync(socket, _received.Writer);
        _ended.TrySetResult();
    }
}
