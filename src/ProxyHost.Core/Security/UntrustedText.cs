using System.Buffers;
using System.Text;

namespace ProxyHost.Security;

/// <summary>
/// Text from outside ProxyHost (process output, names in a config file) made fit to show a person:
/// no terminal control can clear a screen or rewrite what is around it, and no bidirectional
/// formatting character can make it read differently from what it is.
/// </summary>
public static class UntrustedText
{
    private const char Escape = '\u001b';
    private const char ControlSequenceIntroducer = '\u009b';
    private const char OperatingSystemCommand = '\u009d';

    private static readonly SearchValues<char> Hidden = SearchValues.Create(HiddenCharacters());

    /// <summary>
    /// Drops C0 and C1 control characters except newline and tab, DEL, whole ESC sequences (CSI such as
    /// <c>ESC[2J</c>, OSC such as a window title, and two-character ones) and the bidirectional formatting
    /// characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
    /// </summary>
    public static string StripControls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Hidden))
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is Escape or ControlSequenceIntroducer or OperatingSystemCommand)
            {
                i = EndOfSequence(text, i);
            }
            else if (!IsHidden(c))
            {
                clean.Append(c);
            }
        }
        return clean.ToString();
    }

    /// <summary>Writes newline, tab and every character <see cref="StripControls"/> drops as an escape (<c>\n</c>, <c>\u202E</c>), so the text shows as one line with nothing hidden.</summary>
    public static string EscapeControls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny(Hidden) && !text.AsSpan().ContainsAny('\n', '\t'))
        {
            return text;
        }
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                _ when IsHidden(c) => escaped.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }
        return escaped.ToString();
    }

    private static bool IsHidden(char c) =>
        c is (< ' ' and not ('\n' or '\t')) or (>= '\u007f' and <= '\u009f')
            or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f' or '\u061c';

    private static string HiddenCharacters()
    {
        var all = new StringBuilder();
        for (var c = '\0'; c < '\u2070'; c++)
        {
            if (IsHidden(c))
            {
                all.Append(c);
            }
        }
        return all.ToString();
    }

    /// <summary>The index of the last character of the sequence that starts at <paramref name="start"/> (ECMA-48).</summary>
    private static int EndOfSequence(string text, int start)
    {
        var c = text[start];
        if (c == Escape && start + 1 < text.Length)
        {
            c = text[start + 1] switch
            {
                '[' => ControlSequenceIntroducer,
                ']' or 'P' or 'X' or '^' or '_' => OperatingSystemCommand,
                _ => Escape,
            };
            start++;
            if (c == Escape)
            {
                // ESC, intermediates (0x20-0x2F), one final character (0x30-0x7E): ESC c, ESC ( B.
                var end = start;
                while (end < text.Length && text[end] is >= ' ' and <= '/')
                {
                    end++;
                }
                return end < text.Length && text[end] is >= '0' and <= '~' ? end : end - 1;
            }
        }
        if (c == ControlSequenceIntroducer)
        {
            // Parameters and intermediates (0x20-0x3F), then one final character (0x40-0x7E).
            var end = start + 1;
            while (end < text.Length && text[end] is >= ' ' and <= '?')
            {
                end++;
            }
            return end < text.Length && text[end] is >= '@' and <= '~' ? end : end - 1;
        }
        if (c == OperatingSystemCommand)
        {
            // A string up to BEL or ST (ESC \); an unterminated one drops only its introducer.
            for (var end = start + 1; end < text.Length; end++)
            {
                if (text[end] == '\a')
                {
                    return end;
                }
                if (text[end] == Escape && end + 1 < text.Length && text[end + 1] == '\\')
                {
                    return end + 1;
                }
            }
        }
        return start;
    }
}
