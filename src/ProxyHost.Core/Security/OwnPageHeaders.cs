using Microsoft.AspNetCore.Http;

namespace ProxyHost.Security;

/// <summary>
/// The headers every page ProxyHost renders itself carries (launcher, dashboard, starting and error
/// pages, app-service pages), never a proxied tool's response: only ProxyHost's own origin may frame
/// them, so another site cannot lay them under a click-jacking overlay.
/// </summary>
public static class OwnPageHeaders
{
    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
        response.Headers.XFrameOptions = "SAMEORIGIN";
    }
}
