using ProxyHost.Configuration;
using ProxyHost.Tests;

namespace ProxyHost.Cli.Tests;

/// <summary>Captures what a command writes, so verbs run in-process.</summary>
internal sealed class StringCliConsole : ICliConsole
{
    public StringWriter Out { get; } = new();

    public StringWriter Error { get; } = new();

    TextWriter ICliConsole.Out => Out;

    TextWriter ICliConsole.Error => Error;
}

/// <summary>The outcome of one in-process <c>proxyhost</c> run.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var console = new StringCliConsole();
        var exitCode = await CliApplication.RunAsync(args, console).WaitAsync(TimeSpan.FromSeconds(30));
        return new CliRun(exitCode, console.Out.ToString(), console.Error.ToString());
    }

    public IReadOnlyList<string> ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A test's own folder with a config file in it.</summary>
internal sealed class ConfigDirectory() : TempDirectory("proxyhost-cli-tests-")
{
    public string ConfigPath => Combine("proxyhost.json");

    public ProxyHostConfiguration ReadConfig() => ProxyHostConfigReader.ReadFile(ConfigPath);

    /// <summary>Files other than the config and its lock file, such as leftover temp files.</summary>
    public IReadOnlyList<string> StrayFiles() =>
        Directory.GetFiles(Path, "*", SearchOption.AllDirectories)
            .Select(System.IO.Path.GetFileName)
            .Where(n => n is not ("proxyhost.json" or "proxyhost.json.lock"))
            .Select(n => n!)
            .ToList();
}
