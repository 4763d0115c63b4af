using System.Net;
using System.Text.RegularExpressions;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The seed renders its index with Jinja and the constructor's extra arguments; this keeps the part
/// pages use: <c>{{ name }}</c> replaced by the HTML-escaped value. Unknown names are left as written,
/// so pages that use a client-side template syntax survive.
/// </summary>
internal static partial class IndexPage
{
    public static string Render(string template, IReadOnlyDictionary<string, string> variables) =>
        Placeholder().Replace(template, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? WebUtility.HtmlEncode(value) : m.Value);

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
