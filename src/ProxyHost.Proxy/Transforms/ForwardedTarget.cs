using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ProxyHost.Security;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// The path and query a backend receives, built from the request target as the client sent it so that
/// percent-encodings survive unchanged: <c>%2F</c> stays <c>%2F</c> (ASP.NET's decoded path cannot
/// tell it from a literal "%2F"), <c>%3F</c> and <c>%23</c> stay in the path, <c>+</c> in the query
/// stays <c>+</c>. Only ProxyHost's own token parameter (<see cref="TokenQuery"/>) is removed from the query.
/// </summary>
internal static class ForwardedTarget
{
    /// <summary>
    /// The still-encoded path after <paramref name="stripPrefix"/> (null to keep the full path), or null
    /// when the raw path cannot be used: it held dot segments that ASP.NET resolved, or does not start
    /// with the prefix. Callers then fall back to the decoded path.
    /// </summary>
    public static string? RawPath(HttpContext context, string? stripPrefix)
    {
        var raw = RawTarget(context);
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? raw : raw[..query];
        if (path.Length == 0 || path[0] != '/' || HasDotSegment(path))
        {
            return null;
        }
        if (stripPrefix is null)
        {
            return path;
        }
        if (!path.StartsWith(stripPrefix, StringComparison.OrdinalIgnoreCase)
            || (path.Length > stripPrefix.Length && path[stripPrefix.Length] != '/'))
        {
            return null;
        }
        var rest = path[stripPrefix.Length..];
        return rest.Length == 0 ? "/" : rest;
    }

    /// <summary>The raw query (with its '?', or empty) minus the parameters that carry <paramref name="token"/>.</summary>
    public static string Query(HttpContext context, string? token)
    {
        var query = context.Request.QueryString.Value ?? "";
        return token is null ? query : TokenQuery.Without(query, token);
    }

    /// <summary>True when the raw path has a <c>.</c> or <c>..</c> segment, plain or percent-encoded.</summary>
    public static bool HasDotSegment(string rawPath)
    {
        // Every request passes here; most paths have neither a dot nor an escape, so no segment can be one.
        if (rawPath.AsSpan().IndexOfAny('.', '%') < 0)
        {
            return false;
        }
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length is > 0 and <= 6 && Unescape(segment) is "." or "..")
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The path of <see cref="RawTarget"/>: as sent, still encoded, dot segments unresolved.</summary>
    public static string AsSentPath(HttpContext context)
    {
        var raw = RawTarget(context);
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
            ? raw
            : context.Request.PathBase + context.Request.Path + context.Request.QueryString;

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
