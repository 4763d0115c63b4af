using System.Text;
using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>
/// Edits the <c>servers</c> object of proxyhost.json text by splicing bytes: only the edited entry's
/// text changes, so comments, formatting, key order and other sections stay exactly as written.
/// The input must already be valid config text (the caller checks).
/// </summary>
internal sealed class ConfigTextSplicer
{
    private const string ServersKey = "servers";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly byte[] _utf8;
    private readonly ObjectSpan? _root;
    private readonly ObjectSpan? _servers;

    /// <param name="utf8">The file's bytes without a byte-order mark; empty for a missing or blank file.</param>
    public ConfigTextSplicer(byte[] utf8)
    {
        _utf8 = utf8;
        Style = JsonTextStyle.Detect(utf8);
        if (utf8.AsSpan().IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            return;
        }

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("The config text must hold a JSON object.");
        }
        _root = ReadObject(ref reader, readServers: true, out _servers);
    }

    public JsonTextStyle Style { get; }

    /// <summary>The names in the <c>servers</c> object, in file order.</summary>
    public IReadOnlyList<string> ServerNames => _servers?.Members.Select(m => m.Name).ToList() ?? [];

    /// <summary>Returns the name as the file spells it, matching case-insensitively as the reader does; null when absent.</summary>
    public string? FindServer(string name) => Find(name)?.Name;

    /// <summary>Returns the text with server <paramref name="name"/> written by <paramref name="writeDefinition"/>, replacing an entry with the same name.</summary>
    public byte[] SetServer(string name, Action<Utf8JsonWriter> writeDefinition)
    {
        if (_root is null)
        {
            var document = Style.Serialize(writer =>
            {
                writer.WriteStartObject();
                WriteServersProperty(writer, name, writeDefinition);
                writer.WriteEndObject();
            });
            return Encoding.UTF8.GetBytes(document + Style.NewLine);
        }

        if (_servers is null)
        {
            var serversJson = Style.Serialize(writer =>
            {
                writer.WriteStartObject();
                writer.WritePropertyName(name);
                writeDefinition(writer);
                writer.WriteEndObject();
            });
            return Insert(_root, ServersKey, serversJson);
        }

        var definitionJson = Style.Serialize(writeDefinition);
        var existing = Find(name);
        if (existing is null)
        {
            return Insert(_servers, name, definitionJson);
        }

        var indent = IndentBefore(existing.KeyStart) ?? LineIndent(_servers.Open) + Style.IndentUnit;
        var text = JsonTextStyle.Quote(name) + ": " + Style.Reindent(definitionJson, indent);
        return Splice([new Edit(existing.KeyStart, existing.ValueEnd, text)]);
    }

    /// <summary>Returns the text without the entry <paramref name="name"/>; the caller checked it exists.</summary>
    public byte[] RemoveServer(string name)
    {
        var members = _servers?.Members ?? [];
        var index = members.FindLastIndex(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new InvalidOperationException($"No server entry named '{name}'.");
        }

        var member = members[index];
        var edits = new List<Edit>();
        var start = member.KeyStart;
        var end = member.ValueEnd;
        if (CommaAfter(member.ValueEnd) is { } comma)
        {
            end = comma + 1;
        }
        else if (index > 0 && CommaAfter(members[index - 1].ValueEnd) is { } previousComma)
        {
            edits.Add(new Edit(previousComma, previousComma + 1, ""));
        }

        // Take the whole line when the entry had it to itself, so no blank line is left behind.
        if (IndentBefore(start) is { } indent)
        {
            if (RestOfLineIsBlank(end) is { } lineEnd)
            {
                start -= indent.Length;
                end = lineEnd;
            }
            else
            {
                // A comment after the entry stays, at the entry's indentation.
                while (end < _utf8.Length && _utf8[end] is (byte)' ' or (byte)'\t')
                {
                    end++;
                }
            }
        }
        edits.Add(new Edit(start, end, ""));
        return Splice(edits);
    }

    private Member? Find(string name) =>
        _servers?.Members.LastOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    private byte[] Insert(ObjectSpan target, string name, string valueJson)
    {
        string Member(string indent) => JsonTextStyle.Quote(name) + ": " + Style.Reindent(valueJson, indent);

        if (target.Members.Count > 0)
        {
            var last = target.Members[^1];
            var indent = IndentBefore(last.KeyStart) ?? LineIndent(target.Open) + Style.IndentUnit;
            var comma = CommaAfter(last.ValueEnd);
            var anchor = comma + 1 ?? last.ValueEnd;
            // A comment after the last entry stays on its line, with the entry it describes.
            var insertAt = LineEndAfterComment(anchor) ?? anchor;
            return comma is null
                ? Splice([new Edit(last.ValueEnd, last.ValueEnd, ","), new Edit(insertAt, insertAt, Style.NewLine + indent + Member(indent))])
                : Splice([new Edit(insertAt, insertAt, Style.NewLine + indent + Member(indent) + ",")]);
        }

        var outer = LineIndent(target.Open);
        var inner = outer + Style.IndentUnit;
        var body = _utf8.AsSpan(target.Open + 1, target.Close - target.Open - 1);
        return body.IndexOfAnyExcept(" \t\r\n"u8) < 0
            ? Splice([new Edit(target.Open + 1, target.Close, Style.NewLine + inner + Member(inner) + Style.NewLine + outer)])
            : Splice([new Edit(target.Open + 1, target.Open + 1, Style.NewLine + inner + Member(inner))]);
    }

    private static void WriteServersProperty(Utf8JsonWriter writer, string name, Action<Utf8JsonWriter> writeDefinition)
    {
        writer.WriteStartObject(ServersKey);
        writer.WritePropertyName(name);
        writeDefinition(writer);
        writer.WriteEndObject();
    }

    private byte[] Splice(IEnumerable<Edit> edits)
    {
        var output = new List<byte>(_utf8.Length + 256);
        var position = 0;
        foreach (var edit in edits.OrderBy(e => e.Start))
        {
            output.AddRange(_utf8.AsSpan(position, edit.Start - position));
            output.AddRange(Encoding.UTF8.GetBytes(edit.Text));
            position = edit.End;
        }
        output.AddRange(_utf8.AsSpan(position));
        return [.. output];
    }

    /// <summary>The whitespace between the start of the line and <paramref name="position"/>, or null when other text precedes it.</summary>
    private string? IndentBefore(int position)
    {
        var start = position;
        while (start > 0 && _utf8[start - 1] is (byte)' ' or (byte)'\t')
        {
            start--;
        }
        return start == 0 || _utf8[start - 1] == '\n' ? Encoding.UTF8.GetString(_utf8, start, position - start) : null;
    }

    /// <summary>The leading whitespace of the line that holds <paramref name="position"/>.</summary>
    private string LineIndent(int position)
    {
        var lineStart = position;
        while (lineStart > 0 && _utf8[lineStart - 1] != '\n')
        {
            lineStart--;
        }
        var width = _utf8.AsSpan(lineStart, position - lineStart).IndexOfAnyExcept(" \t"u8);
        return Encoding.UTF8.GetString(_utf8, lineStart, width < 0 ? position - lineStart : width);
    }

    /// <summary>The position after the line break when only whitespace follows <paramref name="position"/> on its line.</summary>
    private int? RestOfLineIsBlank(int position)
    {
        var i = position;
        while (i < _utf8.Length && _utf8[i] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            i++;
        }
        return i < _utf8.Length && _utf8[i] == '\n' ? i + 1 : null;
    }

    /// <summary>When only whitespace and a <c>//</c> comment follow <paramref name="position"/> on its line, the position of its line break.</summary>
    private int? LineEndAfterComment(int position)
    {
        var i = position;
        while (i < _utf8.Length && _utf8[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        if (!_utf8.AsSpan(i).StartsWith("//"u8))
        {
            return null;
        }
        var lineFeed = _utf8.AsSpan(i).IndexOf((byte)'\n');
        if (lineFeed < 0)
        {
            return _utf8.Length;
        }
        var end = i + lineFeed;
        return end > i && _utf8[end - 1] == '\r' ? end - 1 : end;
    }

    /// <summary>The position of the comma that follows a value, skipping whitespace and comments.</summary>
    private int? CommaAfter(int position)
    {
        var i = SkipTrivia(position);
        return i < _utf8.Length && _utf8[i] == ',' ? i : null;
    }

    private int SkipTrivia(int i)
    {
        while (i < _utf8.Length)
        {
            if (_utf8[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (_utf8.AsSpan(i).StartsWith("//"u8))
            {
                var lineEnd = _utf8.AsSpan(i).IndexOf((byte)'\n');
                i = lineEnd < 0 ? _utf8.Length : i + lineEnd + 1;
            }
            else if (_utf8.AsSpan(i).StartsWith("/*"u8))
            {
                var close = _utf8.AsSpan(i + 2).IndexOf("*/"u8);
                i = close < 0 ? _utf8.Length : i + 2 + close + 2;
            }
            else
            {
                break;
            }
        }
        return i;
    }

    // Reads the object the reader stands on, recording where each member's key starts and value ends.
    private static ObjectSpan ReadObject(ref Utf8JsonReader reader, bool readServers, out ObjectSpan? servers)
    {
        var open = (int)reader.TokenStartIndex;
        var members = new List<Member>();
        servers = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var keyStart = (int)reader.TokenStartIndex;
            reader.Read();
            if (readServers && name == ServersKey && reader.TokenType == JsonTokenType.StartObject)
            {
                // ProxyHostConfigReader takes the last "servers" when a file repeats it; so does this.
                servers = ReadObject(ref reader, readServers: false, out _);
            }
            else
            {
                reader.Skip();
            }
            members.Add(new Member(name, keyStart, (int)reader.BytesConsumed));
        }
        return new ObjectSpan(open, (int)reader.TokenStartIndex, members);
    }

    private sealed record Member(string Name, int KeyStart, int ValueEnd);

    private sealed record ObjectSpan(int Open, int Close, List<Member> Members);

    private readonly record struct Edit(int Start, int End, string Text);
}
