using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using ProxyHost.Apps.RequestServices;
using ProxyHost.Apps.Sessions;
using ProxyHost.Security;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Narvi's URL grammar under the base path B: <c>B/{ws}/{app}/index.html</c> (307 to the fixed id or the
/// chooser), <c>B/{ws}/{app}/{sid}/index.html</c>, <c>/connect</c> (refused with 404/403 before the upgrade),
/// <c>/status</c>, <c>narvi/narvi.js</c>, resource roots, then request services; plus redirects and the admin path.
/// </summary>
internal sealed partial class NarviRequestHandler(AppServiceRegistry registry)
{
    private NarviOptions Options => registry.Options;

    public async Task HandleAsync(HttpContext context)
    {
        // App pages hold the session websocket under ProxyHost's cookie; a request service may set its own framing headers.
        OwnPageHeaders.Apply(context.Response);
        var path = context.Request.Path.Value ?? "/";
        if (IsRead(context) && registry.FindRedirect(path) is var (toWorkspace, toApp))
        {
            Redirect(context, $"{Options.BasePath}/{toWorkspace}/{toApp}/index.html");
            return;
        }
        if (IsRead(context) && Options.AdminPath == path)
        {
            await Results.Json(registry.GetAdminJson()).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        if (!path.StartsWith(Options.BasePath + "/", StringComparison.Ordinal))
        {
            NotFound(context);
            return;
        }
        await DispatchAsync(context, path[(Options.BasePath.Length + 1)..].Split('/')).ConfigureAwait(false);
    }

    private async Task DispatchAsync(HttpContext context, string[] segments)
    {
        if (segments.Length < 3 || registry.FindApp(segments[0], segments[1]) is not { } app)
        {
            NotFound(context);
            return;
        }
        if (segments is [_, _, "index.html"])
        {
            AppIndexWithoutServiceId(context, app);
            return;
        }
        var serviceId = segments[2];
        var rest = segments[3..];
        var valid = app.Service.IsValidServiceId(serviceId);
        switch (rest)
        {
            case ["connect"]:
                await ConnectAsync(context, app, serviceId, valid).ConfigureAwait(false);
                return;
            case ["index.html"] when !valid && app.ServiceChooserAppName is { } chooser && IsRead(context):
                Redirect(context, $"../../{chooser}/index.html");
                return;
            case [] or [""]:
                NotFound(context);
                return;
        }
        if (!valid)
        {
            NotFound(context);
            return;
        }
        if (rest is ["status"] && IsRead(context))
        {
            await StatusAsync(context, app, serviceId).ConfigureAwait(false);
            return;
        }
        var resource = string.Join('/', rest);
        if (IsRead(context) && await TryServeResourceAsync(context, app, resource).ConfigureAwait(false))
        {
            return;
        }
        await RequestServiceAsync(context, app, serviceId, rest).ConfigureAwait(false);
    }

    private static void AppIndexWithoutServiceId(HttpContext context, RegisteredApp app)
    {
        if (!IsRead(context))
        {
            NotFound(context);
        }
        else if (app.Service.FixedServiceId is { } fixedId)
        {
            Redirect(context, $"{Uri.EscapeDataString(fixedId)}/index.html");
        }
        else if (app.ServiceChooserAppName is { } chooser)
        {
            Redirect(context, $"../{chooser}/index.html");
        }
        else
        {
            NotFound(context);
        }
    }

    private async Task ConnectAsync(HttpContext context, RegisteredApp app, string serviceId, bool valid)
    {
        if (!valid)
        {
            await Results.Text($"'{serviceId}' is not a valid service id for app '{app.Name}'", statusCode: StatusCodes.Status403Forbidden)
                .ExecuteAsync(context).ConfigureAwait(false);
        }
        else if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Text("this URL is a websocket endpoint", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context).ConfigureAwait(false);
        }
        else
        {
            await SessionConnection.RunAsync(context, registry, app, serviceId).ConfigureAwait(false);
        }
    }

    private Task StatusAsync(HttpContext context, RegisteredApp app, string serviceId)
    {
        var instances = registry.Instances.Where(i => i.Service == app.Service && i.Key.ServiceId == serviceId && !i.IsClosed).ToList();
        if (instances.Count == 0)
        {
            NotFound(context);
            return Task.CompletedTask;
        }
        var now = Options.TimeProvider.GetUtcNow();
        return Results.Json(new Dictionary<string, long>
        {
            ["uptime"] = (long)(now - instances.Min(i => i.Started)).TotalSeconds,
            ["session_count"] = instances.Sum(i => i.Sessions.Count),
        }).ExecuteAsync(context);
    }

    private static async Task<bool> TryServeResourceAsync(HttpContext context, RegisteredApp app, string resource)
    {
        if (resource == "narvi/narvi.js")
        {
            await EmbeddedResources.NarviJs.ServeAsync(context).ConfigureAwait(false);
            return true;
        }
        foreach (var root in app.ResourceRoots)
        {
            if (root.ResolveEmbedded(resource) is { } embedded)
            {
                await embedded.ServeAsync(context).ConfigureAwait(false);
                return true;
            }
            if (root.Resolve(resource) is not { } file)
            {
                continue;
            }
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                continue; // unlike Narvi, a later root may still have it
            }
            var contentType = ContentTypes.Of(file);
            var tag = new EntityTagHeaderValue($"\"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}\"");
            context.Response.Headers.CacheControl = "no-cache";
            await Results.File(info.FullName, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag).ExecuteAsync(context).ConfigureAwait(false);
            return true;
        }
        return false;
    }

    private async Task RequestServiceAsync(HttpContext context, RegisteredApp app, string serviceId, string[] rest)
    {
        var found = registry.RequestServices.Find(app.Workspace, app.Name, serviceId, rest, context.Request.Method, out var otherMethods);
        if (found is not var (registration, parameters))
        {
            if (otherMethods.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(", ", otherMethods.Distinct());
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            NotFound(context);
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var request = new RequestServiceRequest
        {
            PathParameters = parameters,
            QueryParameters = RequestDictionaries.Query(context.Request),
            Headers = RequestDictionaries.Headers(context.Request),
            Body = body.ToArray(),
            Method = context.Request.Method,
            SessionId = registration.SessionId,
        };
        RequestServiceResponse? response;
        try
        {
            response = await registration.Instance.InvokeAsync(async () => (RequestServiceResponse?)await registration.Handler(request).ConfigureAwait(false), null)
                .WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RequestServiceFailed(registry.Logger, registration.Pattern.Text, e);
            await Results.Text("the request service failed", statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        if (response is null)
        {
            NotFound(context);
            return;
        }
        context.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = response.ContentType;
        context.Response.ContentLength = response.Content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(response.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool IsRead(HttpContext context) => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    private static void Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = location;
    }

    private static void NotFound(HttpContext context) => context.Response.StatusCode = StatusCodes.Status404NotFound;

    private static partial class Log
    {
        [LoggerMessage(EventId = AppsEventIds.RequestServiceFailed, Level = LogLevel.Error, Message = "Request service {Pattern} failed")]
        public static partial void RequestServiceFailed(ILogger logger, string pattern, Exception exception);
    }
}
