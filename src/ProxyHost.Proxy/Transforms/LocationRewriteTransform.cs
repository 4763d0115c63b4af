using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// For a server whose prefix is stripped (<c>absolute_url: false</c>): a redirect's path-absolute
/// <c>Location</c> (<c>/login</c>) is prefixed with the context path so the browser stays under the
/// server. Absolute URLs, <c>//host</c> references, relative references and a Location already under
/// the context path are left alone (jupyter-server-proxy issue 574, PR 592).
/// </summary>
internal sealed class LocationRewriteTransform(string contextPath) : ResponseTransform
{
    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is not { } response || !IsRedirect((int)response.StatusCode))
        {
            return ValueTask.CompletedTask;
        }

        var headers = context.HttpContext.Response.Headers;
        if (Rewrite(headers.Location.ToString(), contextPath) is { } rewritten)
        {
            headers.Location = rewritten;
        }
        return ValueTask.CompletedTask;
    }

    private static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>The Location to send instead, or null to keep it.</summary>
    internal static string? Rewrite(string location, string contextPath)
    {
        if (location.Length == 0 || location[0] != '/' || location.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }
        if (location.StartsWith(contextPath, StringComparison.Ordinal)
            && (location.Length == contextPath.Length || location[contextPath.Length] is '/' or '?' or '#'))
        {
            return null;
        }
        return contextPath + location;
    }
}
