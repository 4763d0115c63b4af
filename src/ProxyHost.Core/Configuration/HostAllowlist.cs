using System.Net;

namespace ProxyHost.Configuration;

/// <summary>
/// Which hosts <c>/proxy/&lt;host&gt;:&lt;port&gt;/</c> may reach (<c>host_allowlist</c>). A pattern is an exact
/// host name or address (compared case-insensitively), <c>*.example.org</c> (any subdomain, not the
/// bare name), or a CIDR block such as <c>10.0.0.0/8</c> (matches addresses only, never names).
/// </summary>
public static class HostAllowlist
{
    /// <summary>jupyter-server-proxy's default.</summary>
    public static IReadOnlyList<string> Default { get; } = ["localhost", "127.0.0.1"];

    /// <summary>Returns why <paramref name="pattern"/> is not a valid pattern, or null when it is.</summary>
    public static string? Validate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0 || pattern.Any(char.IsWhiteSpace))
        {
            return "a host pattern must be non-empty and have no spaces";
        }
        if (pattern.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(pattern, out _) ? null : $"'{pattern}' is not a valid CIDR block such as 10.0.0.0/8";
        }
        var name = pattern.StartsWith("*.", StringComparison.Ordinal) ? pattern[2..] : pattern;
        return name.Length > 0 && !name.Contains('*', StringComparison.Ordinal) && !name.Contains('@', StringComparison.Ordinal)
            ? null
            : $"'{pattern}' is not a host name, an address, '*.domain' or a CIDR block";
    }

    /// <summary>True when <paramref name="host"/> matches one of <paramref name="patterns"/>.</summary>
    public static bool Matches(IEnumerable<string> patterns, string host)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(host);
        var address = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        foreach (var pattern in patterns)
        {
            if (pattern.Contains('/', StringComparison.Ordinal))
            {
                if (address is not null && IPNetwork.TryParse(pattern, out var network) && network.Contains(address))
                {
                    return true;
                }
            }
            else if (pattern.StartsWith("*.", StringComparison.Ordinal))
            {
                if (host.Length > pattern.Length - 1 && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            else if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
