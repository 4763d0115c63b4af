using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Tests.Dummy;

/// <summary>
/// A real program for tests to supervise and proxy to. Subcommands:
/// <c>http --port P | --unix-socket PATH [--delay-ms N] [--crash-after-ms N] [--exit-code N] [--ignore-sigterm] [--spawn-child PIDFILE] [--daemon PIDFILE] [--print N] [--warmup-ms N]</c>,
/// <c>tcp-echo --port P | --unix-socket PATH</c>, <c>never-listen</c>, <c>exit --code N [--print N]</c>, <c>daemonize PIDFILE</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: dummy http|never-listen|exit|daemonize ...");
            return 2;
        }
        var options = Options.Parse(args.AsSpan(1));
        switch (args[0])
        {
            case "http":
                return await RunHttpAsync(options, args);
            case "tcp-echo":
                return await SwapCaseEcho.RunAsync(options);
            case "never-listen":
                Print(options);
                Console.WriteLine("never listening");
                await Task.Delay(Timeout.Infinite);
                return 0;
            case "exit":
                Print(options);
                await Console.Error.WriteLineAsync($"exiting with {options.Int("code", 0)}");
                return options.Int("code", 0);
            case "daemonize":
                var daemon = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
                await File.WriteAllTextAsync(options.Positional(0), daemon.Id.ToString(CultureInfo.InvariantCulture));
                Console.WriteLine($"daemon {daemon.Id} started");
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown subcommand '{args[0]}'");
                return 2;
        }
    }

    private static async Task<int> RunHttpAsync(Options options, string[] args)
    {
        Print(options);
        if (options.Int("delay-ms", 0) is > 0 and var delay)
        {
            await Task.Delay(delay);
        }
        if (options.String("spawn-child") is { } pidFile)
        {
            var child = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
            await File.WriteAllTextAsync(pidFile, $"{Environment.ProcessId}\n{child.Id}\n");
        }
        if (options.String("daemon") is { } daemonPidFile)
        {
            await DaemonizeAsync(daemonPidFile);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.String("unix-socket") is { } socket)
            {
                kestrel.ListenUnixSocket(socket);
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, options.Int("port", 0));
            }
        });
        PosixSignalRegistration? ignoreSigterm = null;
        if (options.Flag("ignore-sigterm"))
        {
            builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
            ignoreSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Console.WriteLine("ignoring SIGTERM");
            });
        }

        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/", () => "dummy ok");
        // --warmup-ms N: /health answers 503 until N ms after the listener starts, then 200.
        var warmedUpAt = DateTime.UtcNow.AddMilliseconds(options.Int("warmup-ms", 0));
        app.MapGet("/health", () => DateTime.UtcNow >= warmedUpAt ? Results.Text("healthy") : Results.StatusCode(503));
        app.MapGet("/pid", () => Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        app.MapPost("/exit/{code:int}", (HttpContext context, int code) =>
        {
            Console.WriteLine($"crashing with {code}");
            // Exit once the answer is on the wire; Exit itself must not run inside the request.
            context.Response.OnCompleted(() =>
            {
                _ = Task.Run(() => Environment.Exit(code));
                return Task.CompletedTask;
            });
            return Results.Text("exiting");
        });
        app.MapGet("/argv", () => Results.Json(args, DummyJson.Default.StringArray));
        app.MapGet("/env/{name}", (string name) => Environment.GetEnvironmentVariable(name) is { } value ? Results.Text(value) : Results.NotFound());
        app.Map("/echo/{**rest}", (HttpContext context) => Results.Json(
            new EchoResponse(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())),
            DummyJson.Default.EchoResponse));
        app.MapGet("/sse", async (HttpContext context, int? count) =>
        {
            context.Response.ContentType = "text/event-stream";
            for (var i = 1; i <= (count ?? 3); i++)
            {
                await context.Response.WriteAsync($"id: {i}\ndata: event {i}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.Map("/ws", EchoWebSocketAsync);

        await app.StartAsync();
        Console.WriteLine($"listening on {string.Join(", ", app.Urls)}");
        if (options.Int("crash-after-ms", 0) is > 0 and var crashAfter)
        {
            var exitCode = options.Int("exit-code", 1);
            _ = Task.Delay(crashAfter).ContinueWith(_ =>
            {
                Console.WriteLine($"crashing with {exitCode}");
                Environment.Exit(exitCode);
            }, TaskScheduler.Default);
        }
        await app.WaitForShutdownAsync();
        ignoreSigterm?.Dispose();
        return 0;
    }

    /// <summary>
    /// Starts a real daemon: a child that calls setsid (a new session, out of the server's process group)
    /// forks the daemon and exits, so the daemon is re-parented away from the server. It writes the
    /// daemon's PID, and keeps running with its output on /dev/null.
    /// </summary>
    private static async Task DaemonizeAsync(string pidFile)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["sh", "-c", "sleep 600 </dev/null >/dev/null 2>&1 & echo $! > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"", pidFile])
        {
            start.ArgumentList.Add(argument);
        }
        using var middle = Process.Start(start)!;
        await middle.WaitForExitAsync();
    }

    private static async Task EchoWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
                return;
            }
            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
        }
    }

    private static void Print(Options options)
    {
        for (var i = 1; i <= options.Int("print", 0); i++)
        {
            Console.WriteLine($"line {i}");
        }
        Console.Out.Flush();
    }

    private sealed class ManualLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed record EchoResponse(string Method, string Path, string Query, Dictionary<string, string> Headers);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(EchoResponse))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class DummyJson : System.Text.Json.Serialization.JsonSerializerContext;

internal sealed class Options
{
    private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                options._named[name] = hasValue ? args[++i] : null;
            }
            else
            {
                options._positional.Add(args[i]);
            }
        }
        return options;
    }

    public bool Flag(string name) => _named.ContainsKey(name);

    public string? String(string name) => _named.GetValueOrDefault(name);

    public int Int(string name, int fallback) => _named.GetValueOrDefault(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string Positional(int index) => index < _positional.Count ? _positional[index] : throw new ArgumentException($"missing argument {index + 1}");
}
