using System.Net;
using System.Text.RegularExpressions;

namespace ProxyHost.Security;

/// <summary>
/// Host names a request's <c>Host</c> may carry (<c>--allow-host</c>): an exact name
/// (<c>lab.example.org</c>), one with <c>*</c> standing for one or more labels' worth of host characters
/// (<c>*.example.org</c>, <c>10.1.*</c>), an IP address (<c>192.0.2.7</c>, <c>[2001:db8::7]</c>), or <c>*</c> alone for
/// any host. Names compare case-insensitively and without a trailing dot; ports are not part of a pattern.
/// </summary>
public sealed class HostPatterns
{
    /// <summary>What <c>*</c> stands for in a host, here and in <see cref="OriginPatterns"/>.</summary>
    internal const string WildcardRun = "[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*";

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<IPAddress> _addresses = [];
    private readonly List<Regex> _wildcards = [];

    /// <summary>Compiles <paramref name="patterns"/>; each must be valid (see <see cref="Validate"/>).</summary>
    /// <exception cref="ArgumentException">A pattern is not valid.</exception>
    public HostPatterns(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var pattern in patterns)
        {
            if (Validate(pattern) is { } problem)
            {
                throw new ArgumentException(problem, nameof(patterns));
            }
            var trimmed = pattern.TrimEnd('.');
            if (pattern == "*")
            {
                AnyHost = true;
            }
            else if (AsAddress(pattern) is { } address)
            {
                _addresses.Add(address);
            }
            else if (trimmed.Contains('*', StringComparison.Ordinal))
            {
                _wildcards.Add(new Regex("^" + Regex.Escape(trimmed).Replace(@"\*", WildcardRun, StringComparison.Ordinal) + "$",
                    RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            }
            else
            {
                _names.Add(trimmed);
            }
        }
    }

    /// <summary>True when the patterns include <c>*</c>: every well-formed host matches.</summary>
    public bool AnyHost { get; }

    /// <summary>Returns why <paramref name="pattern"/> is not a valid pattern, or null when it is.</summary>
    public static string? Validate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern == "*" || AsAddress(pattern) is not null)
        {
            return null;
        }
        var sample = pattern.Replace("*", "x", StringComparison.Ordinal);
        return !sample.Contains(':', StringComparison.Ordinal) && RequestHost.TryParse(sample, out var host) && host.Address is null
            ? null
            : $"'{pattern}' is not a host such as lab.example.org, *.example.org or 192.0.2.7 (no scheme or port; '*' may stand for part of the name, '*' alone for any host)";
    }

    /// <summary>
    /// The host part of an <see cref="OriginPatterns"/> pattern (<c>https://*.example.org</c> gives
    /// <c>*.example.org</c>), or null for <c>*</c> alone or a pattern that has no valid host.
    /// </summary>
    public static string? FromOrigin(string originPattern)
    {
        ArgumentNullException.ThrowIfNull(originPattern);
        var scheme = originPattern.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return null;
        }
        var authority = originPattern[(scheme + 3)..].TrimEnd('/');
        var host = authority.StartsWith('[') ? authority[..(authority.IndexOf(']') + 1)] : authority.Split(':')[0];
        return host.Length > 0 && host != "*" && Validate(host) is null ? host : null;
    }

    /// <summary>True when <paramref name="host"/> matches one of the patterns.</summary>
    public bool Matches(RequestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (AnyHost)
        {
            return true;
        }
        return host.Address is { } address
            ? _addresses.Contains(address) || _wildcards.Exists(w => w.IsMatch(host.Name))
            : _names.Contains(host.Name) || _wildcards.Exists(w => w.IsMatch(host.Name));
    }

    private static IPAddress? AsAddress(string pattern)
    {
        if (pattern.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }
        var literal = pattern.StartsWith('[') && pattern.EndsWith(']') ? pattern[1..^1] : pattern;
        return RequestHost.TryParse(literal.Contains(':', StringComparison.Ordinal) ? "[" + literal + "]" : literal, out var host) ? host.Address : null;
    }
}
