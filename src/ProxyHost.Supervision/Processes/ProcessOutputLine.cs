namespace ProxyHost.Supervision.Processes;

/// <summary>One line a child process wrote, without its line terminator.</summary>
/// <param name="IsStandardError">True for stderr, false for stdout.</param>
public readonly record struct ProcessOutputLine(bool IsStandardError, string Text);
