using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// A real HTTP server on 127.0.0.1:0 that answers every request with its own name and the target it
/// received, so a test can tell which server a request reached.
/// </summary>
internal sealed class IdentityBackend : IAsyncDisposable
{
    public const string Marker = "identity=";

    private readonly WebApplication _app;

    private IdentityBackend(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    public static async Task<IdentityBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync($"{Marker}{name}\nraw={raw}\n");
        });
        await app.StartAsync();
        return new IdentityBackend(app, name, ListeningAddress.Of(app.Services).Port);
    }

    /// <summary>The name of the backend that wrote <paramref name="body"/>, or null when no backend did.</summary>
    public static string? ReachedBy(string body)
    {
        var at = body.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? null : body[(at + Marker.Length)..].Split('\n')[0];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
