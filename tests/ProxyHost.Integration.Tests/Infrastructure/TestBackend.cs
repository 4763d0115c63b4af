using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>
/// A real HTTP + websocket server on 127.0.0.1:0 or a Unix socket that reports what it received,
/// standing in for a web tool behind ProxyHost.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestBackend(WebApplication app, int port, string? socketPath)
    {
        _app = app;
        Port = port;
        SocketPath = socketPath;
    }

    public int Port { get; }

    public string? SocketPath { get; }

    public static Task<TestBackend> StartTcpAsync() => StartAsync(null);

    public static Task<TestBackend> StartUnixSocketAsync(string socketPath) => StartAsync(socketPath);

    private static async Task<TestBackend> StartAsync(string? socketPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (socketPath is null)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
            else
            {
                k.ListenUnixSocket(socketPath);
            }
        });
        var app = builder.Build();
        app.UseWebSockets();
        MapEndpoints(app);
        await app.StartAsync();

        var port = 0;
        if (socketPath is null)
        {
            port = ListeningAddress.Of(app.Services).Port;
        }
        return new TestBackend(app, port, socketPath);
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await EchoAsync(socket);
        });
        MapWebSocketEndpoints(app);
        app.MapGet("/sse", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var count = int.Parse(context.Request.Query["count"].FirstOrDefault() ?? "3");
            var wait = context.Request.Query["wait"].FirstOrDefault();
            for (var i = 0; i < count; i++)
            {
                await context.Response.WriteAsync($"data: event {i}\n\n");
                await context.Response.Body.FlushAsync();
            }
            if (wait is not null)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
            }
        });
        app.MapGet("/bytes/{megabytes:int}", async (HttpContext context, int megabytes) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = megabytes * 1024L * 1024;
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < megabytes * 16; i++)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
        });
        app.MapGet("/redirect", () => Results.Redirect("/target"));
        app.MapGet("/gzip", async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(GzipBody);
        });
        app.Map("/{**rest}", (HttpContext context) =>
        {
            SetCookies(context);
            // ?redirect_to=LOCATION[&status=N] on any path: a redirecting server.
            if (context.Request.Query.TryGetValue("redirect_to", out var location))
            {
                context.Response.StatusCode = int.Parse(context.Request.Query["status"].FirstOrDefault() ?? "302");
                context.Response.Headers.Location = location.ToString();
                return Results.Empty;
            }
            return Results.Json(RequestReport.From(context.Request));
        });
    }

    /// <summary>What <c>/gzip</c> sends: "hello gzip" compressed, with <c>Content-Encoding: gzip</c>.</summary>
    public static readonly byte[] GzipBody = Compress("hello gzip");

    private static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <c>/ws/headers</c> sends what the upgrade request carried as one JSON text message (and honours <c>?set_cookie=</c>);
    /// <c>/ws/subprotocol/{first|none|NAME}</c> accepts with that choice among the offered subprotocols;
    /// <c>/ws/deflate</c> accepts permessage-deflate when offered; <c>/ws/close-4001</c> answers the first message by closing with 4001 and a reason.
    /// All of them then echo like <c>/ws</c>.
    /// </summary>
    private static void MapWebSocketEndpoints(WebApplication app)
    {
        app.Map("/ws/headers", async context =>
        {
            SetCookies(context);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var report = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(RequestReport.From(context.Request));
            await socket.SendAsync(report, WebSocketMessageType.Text, true, CancellationToken.None);
            await EchoAsync(socket);
        });
        app.Map("/ws/subprotocol/{choice}", async (HttpContext context, string choice) =>
        {
            var offered = context.WebSockets.WebSocketRequestedProtocols;
            var chosen = choice switch
            {
                "first" => offered.FirstOrDefault(),
                "none" => null,
                _ => offered.Contains(choice) ? choice : null,
            };
            using var socket = await context.WebSockets.AcceptWebSocketAsync(chosen);
            await EchoAsync(socket);
        });
        app.Map("/ws/deflate", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = true });
            await EchoAsync(socket);
        });
        app.Map("/ws/close-4001", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await socket.ReceiveAsync(new byte[1024], CancellationToken.None);
            await socket.CloseAsync((WebSocketCloseStatus)4001, "backend says bye", CancellationToken.None);
        });
    }

    /// <summary>?set_cookie=VALUE (repeatable) on the catch-all and <c>/ws/headers</c>: one <c>Set-Cookie: VALUE</c> each.</summary>
    private static void SetCookies(HttpContext context)
    {
        foreach (var cookie in context.Request.Query["set_cookie"])
        {
            context.Response.Headers.Append("Set-Cookie", cookie);
        }
    }

    private static async Task EchoAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None);
                return;
            }
            var reply = result.MessageType == WebSocketMessageType.Text
                ? Encoding.UTF8.GetBytes("echo:" + Encoding.UTF8.GetString(buffer, 0, result.Count))
                : buffer[..result.Count];
            await socket.SendAsync(reply, result.MessageType, result.EndOfMessage, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a backend saw of a request, as JSON.</summary>
public sealed record RequestReport(string Method, string Path, string Query, Dictionary<string, string> Headers)
{
    /// <summary>The request target exactly as it arrived on the wire (path and query, still percent-encoded).</summary>
    public string RawTarget { get; init; } = "";

    public static RequestReport From(HttpRequest request) => new(
        request.Method,
        request.Path.Value ?? "",
        request.QueryString.Value ?? "",
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase))
    {
        RawTarget = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "",
    };

    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
