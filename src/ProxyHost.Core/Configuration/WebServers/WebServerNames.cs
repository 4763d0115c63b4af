using System.Text.RegularExpressions;
using ProxyHost.Security;

namespace ProxyHost.Configuration;

/// <summary>
/// What makes a typed-messaging site name valid. Sites live under <c>_/messaging/</c>, a prefix no server
/// name can take (names start with a letter or digit), so sites and servers never clash.
/// </summary>
public static partial class WebServerNames
{
    /// <summary>Returns why <paramref name="name"/> cannot name a site, or null when it can.</summary>
    public static string? Validate(string? name) =>
        name is not null && ValidName().IsMatch(name)
            ? null
            : $"'{UntrustedText.EscapeControls(name ?? "")}' is not a valid site name: use letters, digits, '-', '_' and '.', starting with a letter or digit";

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z")]
    private static partial Regex ValidName();
}
