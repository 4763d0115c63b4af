using System.Text.RegularExpressions;
using ProxyHost.Security;

namespace ProxyHost.Configuration;

/// <summary>What makes a server name valid: URL-safe, and not one of ProxyHost's own path segments.</summary>
public static partial class ServerNames
{
    /// <summary>First path segments ProxyHost serves itself; a server may not take them.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "api", "proxy", "server-proxy", "metrics", "narvi", "relay", "static", "login", "logout", "favicon.ico",
    };

    /// <summary>Returns why <paramref name="name"/> cannot be a server name, or null when it can.</summary>
    public static string? Validate(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a server name must not be empty";
        }
        if (!ValidName().IsMatch(name))
        {
            return $"'{UntrustedText.EscapeControls(name)}' is not a valid server name: use letters, digits, '-', '_' and '.', starting with a letter or digit";
        }
        if (Reserved.Contains(name))
        {
            return $"'{name}' is reserved for ProxyHost's own routes ({string.Join(", ", Reserved.Order())}); choose another name";
        }
        return null;
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z")]
    private static partial Regex ValidName();
}
