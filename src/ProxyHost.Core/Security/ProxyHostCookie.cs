using Microsoft.Extensions.Primitives;

namespace ProxyHost.Security;

/// <summary>
/// ProxyHost's login cookie. Its name carries the port ProxyHost listens on, so two instances on one
/// machine keep separate logins (browsers send a host's cookies to every port of it), and stays the same
/// across restarts on that port. Backends neither receive nor may set any ProxyHost's cookie, whatever
/// its letter case: not this instance's, not another instance's, not the old <c>proxyhost-auth</c>.
/// </summary>
public static class ProxyHostCookie
{
    private const string Prefix = "proxyhost-token-";
    private const string LegacyName = "proxyhost-auth";

    // Every request asks for the same port's name: built once, not per request.
    private static Named? _last;

    /// <summary>The cookie name of the instance that listens on <paramref name="port"/>.</summary>
    public static string Name(int port)
    {
        var last = Volatile.Read(ref _last);
        if (last is null || last.Port != port)
        {
            last = new Named(port, Prefix + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Volatile.Write(ref _last, last);
        }
        return last.Name;
    }

    private sealed record Named(int Port, string Name);

    /// <summary>True when <paramref name="name"/> is a ProxyHost cookie's name (any instance, any letter case).</summary>
    public static bool IsProxyHostName(ReadOnlySpan<char> name)
    {
        name = name.Trim();
        return name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || name.Equals(LegacyName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when a <c>Set-Cookie</c> value sets a ProxyHost cookie.</summary>
    public static bool IsProxyHostSetCookie(string? setCookie) =>
        setCookie is not null && IsProxyHostName(NameOf(setCookie.AsSpan(0, IndexOrLength(setCookie, ';'))));

    /// <summary>
    /// True when any cookie named <paramref name="name"/> (in any letter case) in any of the
    /// <c>Cookie</c> header values is the login cookie for <paramref name="token"/>.
    /// </summary>
    public static bool Carries(StringValues cookieHeaders, string name, string token)
    {
        foreach (var header in cookieHeaders)
        {
            var cookies = header.AsSpan();
            foreach (var range in cookies.Split(';'))
            {
                var cookie = cookies[range];
                if (NameOf(cookie).Equals(name, StringComparison.OrdinalIgnoreCase)
                    && ProxyHostCredentials.IsCookieValue(ValueOf(cookie), token))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// The cookies of every <c>Cookie</c> header value except ProxyHost's, as one header value
    /// (empty when none is left).
    /// </summary>
    public static string Without(StringValues cookieHeaders)
    {
        if (cookieHeaders.Count == 1 && !cookieHeaders[0].AsSpan().Contains("proxyhost", StringComparison.OrdinalIgnoreCase))
        {
            return cookieHeaders[0] ?? "";
        }
        var kept = new List<string>();
        foreach (var header in cookieHeaders)
        {
            foreach (var cookie in (header ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsProxyHostName(NameOf(cookie)))
                {
                    kept.Add(cookie);
                }
            }
        }
        return string.Join("; ", kept);
    }

    private static ReadOnlySpan<char> NameOf(ReadOnlySpan<char> cookie) => cookie[..IndexOrLength(cookie, '=')].Trim();

    private static ReadOnlySpan<char> ValueOf(ReadOnlySpan<char> cookie) =>
        cookie.IndexOf('=') is var equals and >= 0 ? cookie[(equals + 1)..].Trim() : default;

    private static int IndexOrLength(ReadOnlySpan<char> text, char separator) => text.IndexOf(separator) is var index and >= 0 ? index : text.Length;
}
