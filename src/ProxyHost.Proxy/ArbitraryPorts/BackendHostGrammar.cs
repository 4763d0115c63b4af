using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Proxy.ArbitraryPorts;

/// <summary>
/// The hosts <c>proxy/&lt;host&gt;:&lt;port&gt;/</c> accepts, after percent-decoding: a DNS name of ASCII letters,
/// digits, hyphens and dots, a dotted-quad IPv4 address, or a bracketed IPv6 address. Each comes back in
/// the one spelling that is both checked against the allowlist and connected to, so no character can end
/// the URI's authority early and no other spelling of an address (<c>127.1</c>, <c>0x7f.1</c>, <c>2130706433</c>)
/// can stand for one.
/// </summary>
internal static class BackendHostGrammar
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>The canonical host (lower-case name, dotted quad, or IPv6 text without brackets), or null when <paramref name="decoded"/> is none of them.</summary>
    public static string? Canonical(string decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        if (decoded.Length > 2 && decoded[0] == '[' && decoded[^1] == ']')
        {
            return IPAddress.TryParse(decoded.AsSpan(1, decoded.Length - 2), out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6 && v6.ScopeId == 0 && IsIPv6Text(decoded.AsSpan(1, decoded.Length - 2))
                ? v6.ToString()
                : null;
        }
        if (IsDottedQuad(decoded))
        {
            return decoded;
        }
        return IsDnsName(decoded) ? decoded.ToLowerInvariant() : null;
    }

    /// <summary>Four decimal parts 0–255 without leading zeros: the only IPv4 spelling accepted.</summary>
    private static bool IsDottedQuad(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(part =>
            part.Length is >= 1 and <= 3 && part.All(char.IsAsciiDigit) && (part.Length == 1 || part[0] != '0')
            && int.Parse(part, CultureInfo.InvariantCulture) <= 255);
    }

    /// <summary>
    /// Labels of letters, digits and inner hyphens; the last label may not be a number (decimal or <c>0x</c> hex),
    /// because resolvers and URI parsers read such a name as an IPv4 address.
    /// </summary>
    private static bool IsDnsName(string text)
    {
        if (text.Length is 0 or > MaxNameLength)
        {
            return false;
        }
        var labels = text.Split('.');
        var last = labels[^1];
        var numeric = last.All(char.IsAsciiDigit)
            || (last.Length >= 2 && last[0] == '0' && (last[1] is 'x' or 'X') && last[2..].All(char.IsAsciiHexDigit));
        return !numeric && labels.All(label =>
            label.Length is >= 1 and <= MaxLabelLength && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>Hex digits, colons and an optional trailing dotted quad: no zone (<c>%eth0</c>) and nothing else.</summary>
    private static bool IsIPv6Text(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
