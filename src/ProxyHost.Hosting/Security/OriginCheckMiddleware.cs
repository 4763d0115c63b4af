using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Refuses websocket upgrades and POST/PUT/PATCH/DELETE whose <c>Origin</c> is another site, so a page
/// elsewhere cannot ride the browser's ProxyHost cookie (cross-site websocket hijacking, CSRF).
/// Requests without <c>Origin</c> come from non-browser clients, which cannot hold the cookie for
/// another site, and pass.
/// </summary>
internal sealed partial class OriginCheckMiddleware(RequestDelegate next, IOptions<ProxyHostOptions> options, ILogger<OriginCheckMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsGuarded(context) || request.Headers.Origin.ToString() is not { Length: > 0 } origin
            || OriginPatterns.IsSameHost(origin, request.Host.Value ?? "")
            || OriginPatterns.Matches(options.Value.AllowedOrigins, origin))
        {
            return next(context);
        }

        Log.Refused(logger, request.Method, request.Path.Value ?? "", origin, request.Host.Value ?? "");
        return ErrorPage.WriteAsync(context, StatusCodes.Status403Forbidden, "Cross-origin request refused",
            $"A page at {origin} may not send this request to {request.Host.Value}. If that site is yours, start ProxyHost with --allow-origin {origin}.");
    }

    private static bool IsGuarded(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest
        || context.Request.Headers.Upgrade.Count > 0
        || HttpMethods.IsPost(context.Request.Method)
        || HttpMethods.IsPut(context.Request.Method)
        || HttpMethods.IsPatch(context.Request.Method)
        || HttpMethods.IsDelete(context.Request.Method);

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.OriginRefused, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from origin {Origin} (host {Host}); --allow-origin admits other origins")]
        public static partial void Refused(ILogger logger, string method, string path, string origin, string host);
    }
}
