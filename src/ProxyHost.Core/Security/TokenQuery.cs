namespace ProxyHost.Security;

/// <summary>
/// ProxyHost's token in a raw query string. The parameter name counts in any letter case and
/// percent-encoding (<c>token</c>, <c>TOKEN</c>, <c>%74oken</c>), as ASP.NET's own query parsing reads it:
/// whatever authenticates is also what is removed, so no spelling both logs in and reaches a backend or
/// survives the login redirect. A <c>token</c> parameter with another value is a backend's own and is kept.
/// </summary>
public static class TokenQuery
{
    // "token" percent-encoded in full is 15 characters; longer or shorter names cannot be it.
    private const int MaxEncodedNameLength = 15;

    /// <summary>True when a parameter of <paramref name="query"/> (raw, with or without its '?') carries <paramref name="token"/>.</summary>
    public static bool Carries(string? query, string token)
    {
        if (string.IsNullOrEmpty(query))
        {
            return false;
        }
        var pairs = query.AsSpan(query[0] == '?' ? 1 : 0);
        foreach (var range in pairs.Split('&'))
        {
            if (IsToken(pairs[range], token))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <paramref name="query"/> (raw, with its '?', or empty) without the parameters that carry
    /// <paramref name="token"/>; everything else byte for byte as sent.
    /// </summary>
    public static string Without(string? query, string token)
    {
        if (!Carries(query, token))
        {
            return query ?? "";
        }
        var kept = new System.Text.StringBuilder(query!.Length);
        foreach (var pair in query![(query[0] == '?' ? 1 : 0)..].Split('&'))
        {
            if (!IsToken(pair, token))
            {
                kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
            }
        }
        return kept.ToString();
    }

    private static bool IsToken(ReadOnlySpan<char> pair, string token)
    {
        var equals = pair.IndexOf('=');
        if (equals is < 5 or > MaxEncodedNameLength)
        {
            return false;
        }
        return Unescape(pair[..equals]).Equals(ProxyHostCredentials.QueryParameter, StringComparison.OrdinalIgnoreCase)
            && ProxyHostCredentials.IsToken(Unescape(pair[(equals + 1)..]), token);
    }

    private static string Unescape(ReadOnlySpan<char> text) => Uri.UnescapeDataString(text.ToString().Replace('+', ' '));
}
