using ProxyHost.Configuration;

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

/// <summary>A fresh directory per test, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("proxyhost-cli-tests-").FullName;
    }

    public string Path { get; }

    public string ConfigPath => Combine("proxyhost.json");

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public ProxyHostConfiguration ReadConfig() => ProxyHostConfigReader.ReadFile(ConfigPath);

    /// <summary>Files other than the config and its lock file, such as leftover temp files.</summary>
    public IReadOnlyList<string> StrayFiles() =>
        Directory.GetFiles(Path, "*", SearchOption.AllDirectories)
            .Select(System.IO.Path.GetFileName)
            .Where(n => n is not ("proxyhost.json" or "proxyhost.json.lock"))
            .Select(n => n!)
            .ToList();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
