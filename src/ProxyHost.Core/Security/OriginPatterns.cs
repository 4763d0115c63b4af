using System.Text.RegularExpressions;

namespace ProxyHost.Security;

/// <summary>
/// Which browser origins may open websockets and send state-changing requests: always the request's
/// own host, plus <c>--allow-origin</c> patterns. A pattern is an exact origin
/// (<c>https://hub.example.org</c>, <c>http://localhost:8000</c>), one with <c>*</c> standing for any
/// run of host characters (<c>https://*.example.org</c>), or <c>*</c> alone for any origin.
/// </summary>
public static class OriginPatterns
{
    /// <summary>Returns why <paramref name="pattern"/> is not a valid pattern, or null when it is.</summary>
    public static string? Validate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern == "*")
        {
            return null;
        }
        var sample = pattern.Replace("*", "x", StringComparison.Ordinal);
        return Uri.TryCreate(sample, UriKind.Absolute, out var uri)
            && uri.Scheme is "http" or "https"
            && uri.AbsolutePath == "/" && !sample.EndsWith('/') && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? null
            : $"'{pattern}' is not an origin such as https://hub.example.org or http://localhost:8000 (no path; '*' may stand for part of the host)";
    }

    /// <summary>
    /// True when <paramref name="origin"/> (an <c>Origin</c> header) names the same host and port as
    /// <paramref name="host"/> (the request's <c>Host</c>), whatever the scheme: a TLS-terminating proxy
    /// in front makes the browser's scheme differ from ProxyHost's.
    /// </summary>
    public static bool IsSameHost(string origin, string host)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(host);
        if (host.Length == 0 || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri) || originUri.Scheme is not ("http" or "https")
            || !Uri.TryCreate(originUri.Scheme + "://" + host, UriKind.Absolute, out var hostUri) || hostUri.AbsolutePath != "/")
        {
            return false;
        }
        return string.Equals(originUri.Authority, hostUri.Authority, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="origin"/> matches one of <paramref name="patterns"/>.</summary>
    public static bool Matches(IEnumerable<string> patterns, string origin)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(origin);
        foreach (var pattern in patterns)
        {
            if (pattern == "*")
            {
                return true;
            }
            var regex = "^" + Regex.Escape(pattern.TrimEnd('/')).Replace(@"\*", HostPatterns.WildcardRun, StringComparison.Ordinal) + "$";
            if (Regex.IsMatch(origin, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
            {
                return true;
            }
        }
        return false;
    }
}
