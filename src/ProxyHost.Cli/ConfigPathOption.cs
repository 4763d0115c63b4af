namespace ProxyHost.Cli;

/// <summary>The <c>--config</c> option every config verb shares, and how its default is found.</summary>
internal static class ConfigPathOption
{
    /// <summary>The environment variable naming the config file when <c>--config</c> is not given.</summary>
    public const string EnvironmentVariable = "PROXYHOST_CONFIG";

    public const string DefaultFileName = "proxyhost.json";

    public static System.CommandLine.Option<string?> Create() => new("--config", "-c")
    {
        Description = $"The config file [default: ${EnvironmentVariable}, else ./{DefaultFileName}]",
        HelpName = "PATH",
    };

    /// <summary>Resolves the config path: the option, else <c>$PROXYHOST_CONFIG</c>, else <c>./proxyhost.json</c>.</summary>
    public static string Resolve(string? option, Func<string, string?> getEnvironmentVariable, string currentDirectory)
    {
        var chosen = !string.IsNullOrWhiteSpace(option) ? option
            : getEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultFileName;
        return Path.GetFullPath(chosen, currentDirectory);
    }

    public static string Resolve(string? option) =>
        Resolve(option, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
}
