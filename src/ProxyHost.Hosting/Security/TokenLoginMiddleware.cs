using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// A browser's first visit with <c>?token=T</c> (any spelling <see cref="TokenQuery"/> accepts): sets the
/// HttpOnly auth cookie and redirects to the same URL without the token, so it leaves the address bar,
/// history and referrers.
/// </summary>
internal sealed class TokenLoginMiddleware(RequestDelegate next, IOptions<ProxyHostOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var token = options.Value.Token;
        var request = context.Request;
        if (token is null || !HttpMethods.IsGet(request.Method) || context.WebSockets.IsWebSocketRequest
            || !TokenQuery.Carries(request.QueryString.Value, token))
        {
            return next(context);
        }

        context.Response.Cookies.Append(ProxyHostCookie.Name(context.Connection.LocalPort), ProxyHostCredentials.CookieValue(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = options.Value.BaseUrl,
            IsEssential = true,
        });

        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(SameOrigin(PathAsSent(context)) + TokenQuery.Without(request.QueryString.Value, token));
        return Task.CompletedTask;
    }

    /// <summary>The path as the client sent it, still encoded, so the redirect does not re-encode it.</summary>
    private static string PathAsSent(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/')
        {
            var query = raw.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? raw : raw[..query];
        }
        return (context.Request.PathBase + context.Request.Path).ToUriComponent();
    }

    /// <summary>
    /// A path starting with several slashes or backslashes (<c>//evil.example/</c>, <c>/\evil.example/</c>)
    /// would be a network-path reference to another host; browsers read backslashes as slashes. One slash
    /// keeps the redirect on this origin.
    /// </summary>
    private static string SameOrigin(string path) => "/" + path.TrimStart('/', '\\');
}
