using System.Text.RegularExpressions;
using ProxyHost.Security;

namespace ProxyHost.Configuration;

/// <summary>
/// What a typed-messaging site's mount prefix may be: one or more URL-safe segments, not starting
/// with the site's own <c>ws</c> or <c>static</c>, and not inside another mount.
/// </summary>
public static partial class WebServerMountPrefix
{
    /// <summary>First path segments a site serves itself.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "ws", "static" };

    /// <summary>The prefix without leading or trailing slashes (<c>/uploads/</c> → <c>uploads</c>).</summary>
    public static string Normalize(string prefix) => prefix.Trim().Trim('/');

    /// <summary>Why <paramref name="prefix"/> (normalised) cannot be a mount prefix, or null when it can.</summary>
    public static string? Validate(string prefix)
    {
        if (prefix.Length == 0)
        {
            return "a mount needs a URL prefix such as \"/uploads\"";
        }
        if (!ValidPrefix().IsMatch(prefix) || prefix.Split('/').Any(s => s is "." or ".."))
        {
            return $"'{UntrustedText.EscapeControls(prefix)}' is not a valid URL prefix: use segments of letters, digits, '-', '_' and '.', separated by '/'";
        }
        var first = prefix.Split('/')[0];
        return Reserved.Contains(first) ? $"'{first}/' is the site's own ({string.Join(", ", Reserved.Order())}); choose another prefix" : null;
    }

    /// <summary>Whether one prefix is the other or lies under it (so a request could match both).</summary>
    public static bool Overlap(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || a.StartsWith(b + "/", StringComparison.OrdinalIgnoreCase)
        || b.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase);

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\z")]
    private static partial Regex ValidPrefix();
}
