using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// A browser's first visit with <c>?token=T</c>: sets the HttpOnly auth cookie and redirects to the
/// same URL without the token, so it leaves the address bar, history and referrers.
/// </summary>
internal sealed class TokenLoginMiddleware(RequestDelegate next, IOptions<ProxyHostOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var token = options.Value.Token;
        var request = context.Request;
        if (token is null || !HttpMethods.IsGet(request.Method) || context.WebSockets.IsWebSocketRequest
            || !request.Query.TryGetValue(ProxyHostCredentials.QueryParameter, out var value)
            || !ProxyHostCredentials.IsToken(value.ToString(), token))
        {
            return next(context);
        }

        context.Response.Cookies.Append(ProxyHostCredentials.CookieName, ProxyHostCredentials.CookieValue(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Path = options.Value.BaseUrl,
            IsEssential = true,
        });

        var query = new QueryBuilder(request.Query.Where(q => q.Key != ProxyHostCredentials.QueryParameter)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(request.PathBase + request.Path + query.ToQueryString());
        return Task.CompletedTask;
    }
}
