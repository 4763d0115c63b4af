using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Security;

/// <summary>
/// The host of a request's <c>Host</c> header, parsed strictly: a DNS name or an IP literal (IPv6 in
/// brackets), then an optional port. The name is lower case without a trailing dot; the port is dropped,
/// because a TLS terminator or the Hub's proxy in front changes it while the name stays.
/// </summary>
/// <param name="Name">The host as it is shown and matched: a lower-case name, a dotted IPv4 address, or an IPv6 address in brackets.</param>
/// <param name="Address">The address when the host is an IP literal; null for a name.</param>
public sealed record RequestHost(string Name, IPAddress? Address)
{
    private const int MaxNameLength = 253;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    /// <summary>
    /// Parses <paramref name="header"/>; false for anything else, such as an empty value, userinfo, a path,
    /// two ports, an unbracketed IPv6 address, an IPv6 zone, or an empty label.
    /// </summary>
    public static bool TryParse(string? header, [NotNullWhen(true)] out RequestHost? host)
    {
        host = null;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }
        var value = header.AsSpan();
        if (value[0] == '[')
        {
            var close = value.IndexOf(']');
            if (close < 0 || !IsPortSuffix(value[(close + 1)..])
                || value[1..close].Contains('%') || !IPAddress.TryParse(value[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            host = new RequestHost("[" + v6 + "]", v6);
            return true;
        }

        var colon = value.IndexOf(':');
        var name = colon < 0 ? value : value[..colon];
        if ((colon >= 0 && !IsPortSuffix(value[colon..])) || !IsDnsName(name))
        {
            return false;
        }
        var normalized = name.TrimEnd('.').ToString().ToLowerInvariant();
        host = new RequestHost(normalized, IsDottedQuad(normalized) ? IPAddress.Parse(normalized) : null);
        return true;
    }

    /// <summary>Empty, or ':' and a port number of one to five digits up to 65535.</summary>
    private static bool IsPortSuffix(ReadOnlySpan<char> suffix)
    {
        if (suffix.Length == 0)
        {
            return true;
        }
        var port = suffix[1..];
        return suffix[0] == ':' && port.Length is > 0 and <= 5 && !port.ContainsAnyExceptInRange('0', '9') && int.Parse(port, CultureInfo.InvariantCulture) <= 65535;
    }

    /// <summary>Labels of letters, digits, '-' and '_' (container and NetBIOS names have them) joined by dots, with one optional trailing dot.</summary>
    private static bool IsDnsName(ReadOnlySpan<char> name)
    {
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }
        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.Length is 0 or > 63 || label.ContainsAnyExcept(NameCharacters))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Four decimal parts, as a browser writes an IPv4 host; other spellings (<c>127.1</c>, <c>0x7f.1</c>) stay names and match nothing built in.</summary>
    private static bool IsDottedQuad(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
