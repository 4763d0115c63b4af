using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProxyHost.Messaging.Server;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps a typed-messaging site: index page, <c>static/</c>, the mounts and the <c>ws</c> websocket.</summary>
public static class MessagingEndpointRouteBuilderExtensions
{
    private const string ClientScript = "websocket.js";

    /// <summary>
    /// Serves <paramref name="hub"/>'s site under <paramref name="pathPrefix"/> (e.g. <c>/</c> or
    /// <c>/_/messaging/chat/</c>): the index page at the prefix, <c>static/…</c> (falling back to the
    /// bundled <c>websocket.js</c>), each mount, and the websocket at <c>ws</c>. Needs <c>UseWebSockets()</c>.
    /// </summary>
    public static RouteGroupBuilder MapTypedMessaging(this IEndpointRouteBuilder endpoints, string pathPrefix, MessagingHub hub)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(hub);
        var prefix = "/" + pathPrefix.Trim('/');
        var sitePath = prefix.TrimEnd('/') + "/";
        var group = endpoints.MapGroup(prefix);
        var layout = hub.Layout;

        group.MapGet("/", (HttpContext context) =>
        {
            if (!context.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
            }
            if (layout.IndexCandidates.FirstOrDefault(File.Exists) is not { } index)
            {
                return Results.NotFound($"no index page: put {hub.Options.Index} in the site's root folder");
            }
            var variables = new Dictionary<string, string>(hub.Options.TemplateVariables)
            {
                ["base_path"] = context.Request.PathBase + sitePath,
                ["ws_path"] = context.Request.PathBase + sitePath + "ws",
            };
            // Seed pages call connectWebsocket(cb, port={{ ws_port }}); null makes websocket.js use the ws path next to the page.
            variables.TryAdd("ws_port", hub.WebSocketPortHint?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null");
            return Results.Content(IndexPage.Render(File.ReadAllText(index), variables), "text/html; charset=utf-8");
        });
        group.Map("/ws", hub.AcceptAsync);
        group.MapGet("/static/{**path}", (HttpContext context, string? path) =>
            path == ClientScript && (layout.StaticFolder is null || !File.Exists(Path.Combine(layout.StaticFolder, ClientScript)))
                ? Results.Stream(BundledScript(), "text/javascript; charset=utf-8")
                : SiteFiles.Serve(context, layout.StaticFolder ?? "", path, untrusted: false));
        foreach (var mount in layout.Mounts)
        {
            group.MapGet($"/{mount.Prefix}/{{**path}}", (HttpContext context, string? path) => SiteFiles.Serve(context, mount.Folder, path, mount.IsUploads));
        }
        return group;
    }

    private static Stream BundledScript() =>
        typeof(MessagingHub).Assembly.GetManifestResourceStream("ProxyHost.Messaging.websocket.js")
        ?? throw new InvalidOperationException("websocket.js is missing from the assembly");
}
