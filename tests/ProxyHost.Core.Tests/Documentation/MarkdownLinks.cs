using System.Text.RegularExpressions;

namespace ProxyHost.Core.Tests.Documentation;

/// <summary>Reads the relative links and the heading anchors of a markdown file, as GitHub renders them.</summary>
internal static partial class MarkdownLinks
{
    public sealed record Link(int Line, string Target);

    /// <summary>Relative links (not http:, mailto: and the like) outside code blocks and inline code.</summary>
    public static IEnumerable<Link> RelativeLinks(string markdown)
    {
        var inFence = false;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                continue;
            }
            foreach (Match match in LinkPattern().Matches(InlineCode().Replace(lines[i], "")))
            {
                var target = match.Groups[1].Value;
                if (!Scheme().IsMatch(target))
                {
                    yield return new Link(i + 1, target);
                }
            }
        }
    }

    /// <summary>The anchors of the file's headings: GitHub's slugs, with -1, -2 … for repeats.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            else if (!inFence && Heading().Match(line) is { Success: true } heading)
            {
                var slug = Slug(heading.Groups[1].Value);
                var count = seen.GetValueOrDefault(slug);
                seen[slug] = count + 1;
                anchors.Add(count == 0 ? slug : $"{slug}-{count}");
            }
        }
        return anchors;
    }

    /// <summary>GitHub's heading slug: lower case, punctuation other than '-' and '_' dropped, spaces to '-'.</summary>
    public static string Slug(string heading) =>
        SlugDropped().Replace(InlineMarkup().Replace(heading.Trim(), "$1").ToLowerInvariant(), "").Replace(' ', '-');

    [GeneratedRegex(@"!?\[[^\]]*\]\(([^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\A[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"\A#{1,6}\s+(.*?)\s*#*\s*\z")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\-_ ]")]
    private static partial Regex SlugDropped();

    [GeneratedRegex(@"[`*]|\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineMarkup();
}
