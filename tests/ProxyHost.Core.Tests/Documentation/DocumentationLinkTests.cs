using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Core.Tests.Documentation;

/// <summary>Every relative link in README.md, docs/ and the examples' READMEs reaches a file, and every #anchor a heading.</summary>
public sealed class DocumentationLinkTests
{
    public static TheoryData<string> MarkdownFiles()
    {
        var files = new TheoryData<string>();
        IEnumerable<string> paths =
        [
            RepositoryRoot.Combine("README.md"),
            .. Directory.EnumerateFiles(RepositoryRoot.Combine("docs"), "*.md"),
            .. Directory.EnumerateFiles(RepositoryRoot.Combine("examples"), "README.md", SearchOption.AllDirectories),
        ];
        foreach (var path in paths.Where(p => !p.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(RepositoryRoot.Path, path));
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void EveryRelativeLink_Resolves(string file)
    {
        var path = RepositoryRoot.Combine(file);
        var markdown = File.ReadAllText(path);
        var broken = new List<string>();

        foreach (var link in MarkdownLinks.RelativeLinks(markdown))
        {
            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var target = hash < 0 ? link.Target : link.Target[..hash];
            var anchor = hash < 0 ? null : Uri.UnescapeDataString(link.Target[(hash + 1)..]);
            var targetPath = target.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(target)));
            if (!File.Exists(targetPath) && !Directory.Exists(targetPath))
            {
                broken.Add($"{file}:{link.Line}: ({link.Target}) — no such file");
            }
            else if (anchor is not null && targetPath.EndsWith(".md", StringComparison.Ordinal) && !MarkdownLinks.Anchors(File.ReadAllText(targetPath)).Contains(anchor))
            {
                broken.Add($"{file}:{link.Line}: ({link.Target}) — no heading with the anchor #{anchor}");
            }
        }

        broken.Should().BeEmpty();
    }

    [Fact]
    public void TheDocumentation_IsFound() => MarkdownFiles().Count.Should().BeGreaterThan(10);

    [Theory]
    [InlineData("Security", "security")]
    [InlineData("Host header (DNS rebinding)", "host-header-dns-rebinding")]
    [InlineData("Differences from jupyter-server-proxy, on purpose", "differences-from-jupyter-server-proxy-on-purpose")]
    [InlineData("C# API: callables and `rewrite_response`", "c-api-callables-and-rewrite_response")]
    [InlineData("TLS (HTTPS and WSS)", "tls-https-and-wss")]
    public void Slugs_AreGitHubs(string heading, string slug) => MarkdownLinks.Slug(heading).Should().Be(slug);

    [Fact]
    public void RepeatedHeadings_GetNumberedAnchors_AndCodeIsNotAHeading() =>
        MarkdownLinks.Anchors("# A\n## Limits\n```\n# not a heading\n```\n### Limits\n").Should().BeEquivalentTo(["a", "limits", "limits-1"]);

    [Fact]
    public void LinksInCode_AndToOtherSites_AreNotChecked() =>
        MarkdownLinks.RelativeLinks("[a](docs/a.md) `[b](b.md)` [c](https://x.org/) [d](mailto:x@y)\n```\n[e](e.md)\n```\n![f](f.png)")
            .Select(l => l.Target).Should().Equal("docs/a.md", "f.png");
}
