using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using ProxyHost.Security;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// Drops a backend's <c>Set-Cookie</c> that names a ProxyHost cookie (<see cref="ProxyHostCookie.IsProxyHostName"/>),
/// so a backend can neither log the browser out of ProxyHost nor plant a cookie for it or for another
/// instance on the same host; its other cookies pass. Upgrade (101) responses included.
/// </summary>
internal sealed class ProxyHostCookieResponseTransform : ResponseTransform
{
    public static readonly ProxyHostCookieResponseTransform Instance = new();

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        var setCookies = headers.SetCookie;
        if (setCookies.Count == 0 || !setCookies.Any(ProxyHostCookie.IsProxyHostSetCookie))
        {
            return ValueTask.CompletedTask;
        }
        var kept = setCookies.Where(c => !ProxyHostCookie.IsProxyHostSetCookie(c)).ToArray();
        if (kept.Length == 0)
        {
            headers.Remove(HeaderNames.SetCookie);
        }
        else
        {
            headers.SetCookie = new StringValues(kept);
        }
        return ValueTask.CompletedTask;
    }
}
