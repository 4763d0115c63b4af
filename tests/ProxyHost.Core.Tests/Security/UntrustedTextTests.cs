using FluentAssertions;
using ProxyHost.Security;
using Xunit;

namespace ProxyHost.Core.Tests.Security;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("plain text stays", "plain text stays")]
    [InlineData("a\tb\nc", "a\tb\nc")]
    [InlineData("\u001b[2Jcleared", "cleared")]
    [InlineData("\u001b[1;31mred\u001b[0m", "red")]
    [InlineData("\u001b]0;window title\u0007after", "after")]
    [InlineData("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\", "link")]
    [InlineData("\u001bcreset", "reset")]
    [InlineData("\u001b(Bcharset", "charset")]
    [InlineData("\u009b2Jc1", "c1")]
    [InlineData("bell\u0007 cr\r del\u007f nul\0", "bell cr del nul")]
    [InlineData("\u202eevil\u202c \u2066iso\u2069 \u200emark\u200f \u061carabic", "evil iso mark arabic")]
    [InlineData("unterminated \u001b]title", "unterminated title")]
    [InlineData("trailing \u001b", "trailing ")]
    public void StripControls_DropsTerminalControlAndBidiFormatting(string text, string expected)
    {
        UntrustedText.StripControls(text).Should().Be(expected);
    }

    [Theory]
    [InlineData("name", "name")]
    [InlineData("name\n", "name\\n")]
    [InlineData("a\tb", "a\\tb")]
    [InlineData("x\u001b[2J\u202e", "x\\u001B[2J\\u202E")]
    public void EscapeControls_ShowsEveryHiddenCharacterOnOneLine(string text, string expected)
    {
        UntrustedText.EscapeControls(text).Should().Be(expected);
    }
}
