namespace ProxyHost.Cli;

/// <summary>A command-line argument is invalid; the message names the argument and what to write instead.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
