using System.Text;
using FluentAssertions;
using ProxyHost.Tests;

namespace ProxyHost.Cli.Tests;

/// <summary>Every <c>proxyhost add</c> line in docs/recipes.md is accepted, as written, by the real command.</summary>
public sealed class RecipeLinesTests
{
    public static TheoryData<string> RecipeLines()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(RepositoryRoot.Combine("docs", "recipes.md")))
        {
            if (line.StartsWith("proxyhost add ", StringComparison.Ordinal))
            {
                data.Add(line);
            }
        }
        return data;
    }

    [Fact]
    public void Recipes_HaveALineForEveryTool() => RecipeLines().Should().HaveCountGreaterThanOrEqualTo(13);

    [Theory]
    [MemberData(nameof(RecipeLines))]
    public async Task RecipeLine_IsAcceptedByAdd_WithoutAHint(string line)
    {
        using var directory = new ConfigDirectory();
        var words = ShellWords(line);
        var name = words[2];
        var doubleDash = words.IndexOf("--");
        string[] args = ["add", name, "--config", directory.ConfigPath, .. words[3..]];

        var run = await CliRun.RunAsync(args);

        run.ExitCode.Should().Be(ExitCodes.Success, run.Error);
        run.Error.Should().BeEmpty("a recipe must tell its tool where to listen");
        directory.ReadConfig().Servers.Single().Command.Should().Equal(words[(doubleDash + 1)..]);
    }

    [Fact]
    public void ShellWords_HandlesQuotesLikeASh() =>
        ShellWords("""a 'b <c>' "d 'e'" f= 'g'h""").Should().Equal("a", "b <c>", "d 'e'", "f=", "gh");

    // Enough of POSIX sh word splitting for the recipes: blanks, single quotes and double quotes.
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '\'' or '"')
            {
                var close = line.IndexOf(c, i + 1);
                close.Should().BePositive($"the quote at {i} in: {line}");
                word.Append(line, i + 1, close - i - 1);
                i = close;
                inWord = true;
            }
            else if (c == ' ')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }

}
