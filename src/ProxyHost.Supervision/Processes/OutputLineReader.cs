using System.Text;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Delivers one output pipe of a child line by line. CliWrap's <c>PipeTarget.ToDelegate</c> reads with
/// <see cref="StreamReader.ReadLineAsync()"/>, which holds a line in memory until its newline however long
/// it grows (and also breaks at a lone '\r'); a server flooding output without newlines must not grow
/// ProxyHost's memory, so lines here end only at '\n' and longer ones are delivered in pieces.
/// </summary>
internal static class OutputLineReader
{
    /// <summary>Lines longer than this are delivered in pieces.</summary>
    public const int MaxLineLength = 8192;

    public static async Task ReadAsync(Stream stream, bool isStandardError, Action<ProcessOutputLine>? onOutput, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.Default, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            foreach (var c in buffer.AsSpan(0, read))
            {
                if (c == '\n')
                {
                    Emit(line, isStandardError, onOutput);
                }
                else
                {
                    if (line.Length >= MaxLineLength)
                    {
                        Emit(line, isStandardError, onOutput);
                    }
                    line.Append(c);
                }
            }
        }
        if (line.Length > 0)
        {
            Emit(line, isStandardError, onOutput);
        }
    }

    private static void Emit(StringBuilder line, bool isStandardError, Action<ProcessOutputLine>? onOutput)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }
        var text = line.ToString();
        line.Clear();
        onOutput?.Invoke(new ProcessOutputLine(isStandardError, text));
    }
}
