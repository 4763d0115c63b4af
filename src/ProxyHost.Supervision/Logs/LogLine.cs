namespace ProxyHost.Supervision.Logs;

/// <summary>Which stream a line came from.</summary>
public enum LogStream
{
    StandardOutput,
    StandardError,

    /// <summary>A line ProxyHost itself wrote into the server's log (start, exit, restart).</summary>
    Supervisor,
}

/// <summary>One line of a server's output.</summary>
/// <param name="Sequence">Position in the server's log since ProxyHost started, for resuming a tail.</param>
public sealed record LogLine(long Sequence, DateTimeOffset Time, LogStream Stream, string Text);
