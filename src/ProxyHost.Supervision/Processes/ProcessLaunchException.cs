namespace ProxyHost.Supervision.Processes;

/// <summary>A process could not be launched; the message names the command and the likely cause.</summary>
internal sealed class ProcessLaunchException : Exception
{
    public ProcessLaunchException(string command, string message, Exception? inner = null)
        : base(message, inner)
    {
        Command = command;
    }

    /// <summary>The program that could not be launched.</summary>
    public string Command { get; }
}
