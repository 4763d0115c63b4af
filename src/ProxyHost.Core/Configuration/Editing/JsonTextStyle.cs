using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>The indentation and line ending of an existing JSON file, so inserted text looks like its neighbours.</summary>
internal sealed record JsonTextStyle(string IndentUnit, string NewLine)
{
    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = ServerDefinitionWriter.Encoder };

    public static JsonTextStyle Default { get; } = new("  ", "\n");

    /// <summary>Guesses the style from the first indented line of <paramref name="utf8"/>.</summary>
    public static JsonTextStyle Detect(ReadOnlySpan<byte> utf8)
    {
        var newLine = utf8.IndexOf("\r\n"u8) >= 0 ? "\r\n" : "\n";
        var unit = Default.IndentUnit;
        var lineFeed = utf8.IndexOf((byte)'\n');
        while (lineFeed >= 0 && lineFeed + 1 < utf8.Length)
        {
            var rest = utf8[(lineFeed + 1)..];
            var width = rest.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (width > 0 && rest[width] is not (byte)'\r' and not (byte)'\n')
            {
                unit = Encoding.UTF8.GetString(rest[..Math.Min(width, 16)]);
                break;
            }
            var next = rest.IndexOf((byte)'\n');
            lineFeed = next < 0 ? -1 : lineFeed + 1 + next;
        }
        return new(unit, newLine);
    }

    /// <summary>Runs <paramref name="write"/> on an indented writer in this style and returns the text.</summary>
    public string Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions
        {
            Indented = true,
            IndentCharacter = IndentUnit[0] == '\t' ? '\t' : ' ',
            IndentSize = IndentUnit.Length,
            NewLine = NewLine,
            Encoder = ServerDefinitionWriter.Encoder,
        };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns <paramref name="text"/> as a JSON string literal.</summary>
    public static string Quote(string text) =>
        JsonSerializer.Serialize(text, QuoteOptions);

    /// <summary>Prefixes every line of <paramref name="text"/> after the first with <paramref name="indent"/>.</summary>
    public string Reindent(string text, string indent) =>
        indent.Length == 0 ? text : text.Replace(NewLine, NewLine + indent, StringComparison.Ordinal);
}
