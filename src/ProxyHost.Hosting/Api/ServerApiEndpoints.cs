using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activity;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Resources;

namespace ProxyHost.Hosting.Api;

/// <summary>
/// The JSON API under <c>&lt;base_url&gt;api/</c>: status, servers, start/stop/restart, logs and live
/// event streams. State-changing requests must carry <see cref="RequestHeader"/>, which a cross-site
/// form or a simple cross-origin fetch cannot send, so the API is not CSRF-able.
/// </summary>
internal static class ServerApiEndpoints
{
    /// <summary>The header every POST must carry (any value).</summary>
    public const string RequestHeader = "X-ProxyHost-Request";

    private const int DefaultLogLines = 100;

    public static void MapServerApi(this IEndpointRouteBuilder endpoints)
    {
        var baseUrl = endpoints.ServiceProvider.GetRequiredService<IOptions<ProxyHostOptions>>().Value.BaseUrl;
        var api = endpoints.MapGroup(baseUrl + "api");

        api.MapGet("status", (ServerActivityTracker activity, IServerProcessSupervisor supervisor) =>
            Json(new StatusResponse(
                activity.Started,
                activity.LastActivity ?? activity.Started,
                supervisor.GetSnapshots().Count(s => s.State == ServerProcessState.Running)), ApiJsonContext.Default.StatusResponse));

        api.MapGet("servers", (IServerProcessSupervisor supervisor, IServerProcessCatalog catalog, ServerActivityTracker activity, IServerResourceMonitor resources) =>
            Json(supervisor.GetSnapshots().Select(s => ServerInfo.From(s, catalog.Current.Find(s.Name), activity, resources)).ToList(),
                ApiJsonContext.Default.IReadOnlyListServerInfo));

        api.MapGet("servers/{name}", (string name, IServerProcessSupervisor supervisor, IServerProcessCatalog catalog, ServerActivityTracker activity, IServerResourceMonitor resources) =>
            supervisor.GetSnapshot(name) is { } snapshot
                ? Json(ServerInfo.From(snapshot, catalog.Current.Find(name), activity, resources), ApiJsonContext.Default.ServerInfo)
                : NotFound(name));

        api.MapGet("servers/{name}/resources", (string name, IServerProcessSupervisor supervisor, IServerResourceMonitor resources) =>
            supervisor.GetSnapshot(name) is not null
                ? Json(new ResourceHistoryResponse(name, resources.GetHistory(name).Select(ResourceInfo.From).ToList()), ApiJsonContext.Default.ResourceHistoryResponse)
                : NotFound(name));

        api.MapPost("servers/{name}/start", (HttpContext context, string name) =>
            ChangeAsync(context, name, (supervisor, ct) => supervisor.EnsureRunningAsync(name, ct).AsTask()));
        api.MapPost("servers/{name}/restart", (HttpContext context, string name) =>
            ChangeAsync(context, name, (supervisor, ct) => supervisor.RestartAsync(name, ct).AsTask()));
        api.MapPost("servers/{name}/stop", (HttpContext context, string name) =>
            ChangeAsync(context, name, (supervisor, ct) => supervisor.StopAsync(name, ct)));

        api.MapGet("servers/{name}/log", (string name, int? lines, IServerProcessSupervisor supervisor) =>
            supervisor.GetLog(name) is { } log
                ? Json(new LogResponse(name, log.Tail(Math.Clamp(lines ?? DefaultLogLines, 0, log.Capacity)).Select(LogLineInfo.From).ToList()),
                    ApiJsonContext.Default.LogResponse)
                : NotFound(name));

        api.MapGet("servers/{name}/log/stream", (HttpContext context, string name, int? lines, IServerProcessSupervisor supervisor) =>
        {
            if (supervisor.GetLog(name) is not { } log)
            {
                return NotFound(name).ExecuteAsync(context);
            }
            var initial = Math.Clamp(lines ?? DefaultLogLines, 0, log.Capacity);
            return ServerSentEvents.WriteAsync(context,
                ct => log.WatchAsync(initial, ct), line => LogLineInfo.From(line), ApiJsonContext.Default.LogLineInfo);
        });

        api.MapGet("servers/{name}/events", (HttpContext context, string name, IServerProcessSupervisor supervisor, IServerProcessCatalog catalog, ServerActivityTracker activity, IServerResourceMonitor resources) =>
        {
            if (supervisor.GetSnapshot(name) is null)
            {
                return NotFound(name).ExecuteAsync(context);
            }
            return ServerSentEvents.WriteAsync(context,
                ct => Filter(supervisor.WatchAsync(ct), name), s => ServerInfo.From(s, catalog.Current.Find(s.Name), activity, resources), ApiJsonContext.Default.ServerInfo);
        });

        api.MapGet("events", (HttpContext context, IServerProcessSupervisor supervisor, IServerProcessCatalog catalog, ServerActivityTracker activity, IServerResourceMonitor resources) =>
            ServerSentEvents.WriteAsync(context,
                ct => supervisor.WatchAsync(ct), s => ServerInfo.From(s, catalog.Current.Find(s.Name), activity, resources), ApiJsonContext.Default.ServerInfo));
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, string name, Func<IServerProcessSupervisor, CancellationToken, Task> change)
    {
        var services = context.RequestServices;
        var supervisor = services.GetRequiredService<IServerProcessSupervisor>();
        if (!context.Request.Headers.ContainsKey(RequestHeader))
        {
            return Json(new ApiError($"state-changing requests must carry the {RequestHeader} header"), ApiJsonContext.Default.ApiError, StatusCodes.Status403Forbidden);
        }
        if (supervisor.GetSnapshot(name) is null)
        {
            return NotFound(name);
        }

        var catalog = services.GetRequiredService<IServerProcessCatalog>();
        var activity = services.GetRequiredService<ServerActivityTracker>();
        var resources = services.GetRequiredService<IServerResourceMonitor>();
        ServerInfo Current() => ServerInfo.From(supervisor.GetSnapshot(name)!, catalog.Current.Find(name), activity, resources);
        try
        {
            await change(supervisor, context.RequestAborted);
        }
        catch (ServerUnavailableException e)
        {
            return Json(new ApiError(e.Message, Current()), ApiJsonContext.Default.ApiError, StatusCodes.Status503ServiceUnavailable);
        }
        return Json(Current(), ApiJsonContext.Default.ServerInfo);
    }

    private static async IAsyncEnumerable<ServerProcessSnapshot> Filter(IAsyncEnumerable<ServerProcessSnapshot> snapshots, string name)
    {
        await foreach (var snapshot in snapshots.ConfigureAwait(false))
        {
            if (string.Equals(snapshot.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return snapshot;
            }
        }
    }

    private static IResult NotFound(string name) =>
        Json(new ApiError($"no server named '{name}'"), ApiJsonContext.Default.ApiError, StatusCodes.Status404NotFound);

    private static IResult Json<T>(T value, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, type, statusCode: statusCode);

    /// <summary>Writes an async sequence as <c>text/event-stream</c>, one JSON <c>data:</c> event per item, until the client or the host goes away.</summary>
    private static class ServerSentEvents
    {
        public static async Task WriteAsync<TItem, TJson>(
            HttpContext context, Func<CancellationToken, IAsyncEnumerable<TItem>> source, Func<TItem, TJson> map, JsonTypeInfo<TJson> type)
        {
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-store";
            response.Headers["X-Accel-Buffering"] = "no";
            try
            {
                await response.WriteAsync(": proxyhost\n\n", cancel.Token);
                await response.Body.FlushAsync(cancel.Token);
                await foreach (var item in source(cancel.Token).WithCancellation(cancel.Token))
                {
                    var json = JsonSerializer.Serialize(map(item), type);
                    await response.WriteAsync(string.Concat("data: ", json, "\n\n"), Encoding.UTF8, cancel.Token);
                    await response.Body.FlushAsync(cancel.Token);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }
        }
    }
}
