namespace ProxyHost.Cli;

/// <summary>The process exit codes, so scripts can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An unexpected failure; the message says what went wrong.</summary>
    public const int UnexpectedError = 1;

    /// <summary>A command-line argument was missing or invalid.</summary>
    public const int InvalidArguments = 2;

    /// <summary>The config file is invalid, or an edit would have made it invalid.</summary>
    public const int InvalidConfig = 3;

    /// <summary><c>add</c> without <c>--replace</c> named a server that already exists.</summary>
    public const int ServerExists = 4;

    /// <summary>The named server is not in the config file.</summary>
    public const int ServerNotFound = 5;

    /// <summary>Another process kept the config file locked.</summary>
    public const int ConfigLocked = 6;

    /// <summary>Interrupted (Ctrl+C or SIGTERM) before finishing.</summary>
    public const int Canceled = 130;
}
