using System.Globalization;
using System.Text;

namespace ProxyHost.Templating;

/// <summary>
/// Expands <c>&lt;port&gt;</c>, <c>&lt;unix_socket&gt;</c> and <c>&lt;base_url&gt;</c> in command
/// arguments, environment values and header values. jupyter-server-proxy's <c>{port}</c> spelling is
/// accepted too, with its <c>{{</c> / <c>}}</c> escapes for literal braces.
/// </summary>
public static class PlaceholderTemplate
{
    /// <summary>The placeholder names, in both spellings.</summary>
    public static IReadOnlyList<string> Names { get; } = ["port", "unix_socket", "base_url"];

    /// <summary>Returns a description of each problem in <paramref name="template"/>; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(string template)
    {
        var problems = new List<string>();
        Scan(template, null, problems, null);
        return problems;
    }

    /// <summary>Whether <paramref name="template"/> refers to the placeholder <paramref name="name"/> (either spelling).</summary>
    public static bool Uses(string template, string name)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        Scan(template, null, [], used);
        return used.Contains(name);
    }

    /// <summary>Expands the placeholders; throws <see cref="FormatException"/> for an invalid template.</summary>
    public static string Expand(string template, TemplateValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var problems = new List<string>();
        var result = Scan(template, values, problems, null);
        return problems.Count == 0 ? result : throw new FormatException(problems[0]);
    }

    private static string Scan(string template, TemplateValues? values, List<string> problems, HashSet<string>? used)
    {
        if (template.IndexOfAny(['<', '{', '}']) < 0)
        {
            return template;
        }

        var output = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i > 0 && template[i - 1] == '$' && template.IndexOf('}', i) is var close and > 0)
            {
                output.Append(template, i, close - i + 1);
                i = close;
            }
            else if (c == '{' && At(template, i + 1, '{') || c == '}' && At(template, i + 1, '}'))
            {
                output.Append(c);
                i++;
            }
            else if (c is '<' or '{' && TryReadName(template, i, c == '<' ? '>' : '}', out var name, out var end))
            {
                if (Names.Contains(name))
                {
                    used?.Add(name);
                }
                if (Lookup(name, values) is { } value)
                {
                    output.Append(value);
                }
                else if (!Names.Contains(name))
                {
                    problems.Add($"unknown placeholder '{template[i..(end + 1)]}' (known: {Known(c)})");
                }
                i = end;
            }
            else if (c is '{' or '}')
            {
                problems.Add($"unmatched '{c}' at position {i}: write '{c}{c}' for a literal brace");
                output.Append(c);
            }
            else
            {
                output.Append(c);
            }
        }
        return output.ToString();
    }

    private static string? Lookup(string name, TemplateValues? values) => values is null ? null : name switch
    {
        "port" => values.Port.ToString(CultureInfo.InvariantCulture),
        "unix_socket" => values.UnixSocket,
        "base_url" => values.BaseUrl,
        _ => null,
    };

    private static string Known(char open) => open == '<'
        ? string.Join(", ", Names.Select(n => $"<{n}>"))
        : string.Join(", ", Names.Select(n => $"{{{n}}}"));

    private static bool At(string text, int index, char c) => index < text.Length && text[index] == c;

    // A placeholder name is lower-case letters and underscores ('<' form) or an identifier ('{' form),
    // so shell text such as "a < b" is not mistaken for one; "${HOME}" is copied through above.
    private static bool TryReadName(string text, int start, char close, out string name, out int end)
    {
        var angle = close == '>';
        end = start + 1;
        while (end < text.Length && (angle ? text[end] is >= 'a' and <= 'z' or '_' : char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }
        name = text[(start + 1)..end];
        return name.Length > 0 && end < text.Length && text[end] == close && !char.IsAsciiDigit(name[0]);
    }
}
