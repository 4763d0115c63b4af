using System.Diagnostics;
using FluentAssertions;
using ProxyHost.Tests;

namespace ProxyHost.Cli.Tests;

/// <summary>
/// The real <c>proxyhost</c> CLI as a child process (<c>dotnet proxyhost.dll</c>): the one way the CLI
/// process tests start it. The test runner's own ProxyHost and JupyterHub variables are removed first, so a
/// test run inside a notebook server behaves as anywhere else; then the test's <c>environment</c> is applied.
/// </summary>
internal static class ProxyHostProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "proxyhost.dll");

    public static Process Start(string? workingDirectory, IEnumerable<KeyValuePair<string, string>> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DummyProgram.DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in start.Environment.Keys.Where(k => k is "PROXYHOST_TOKEN" or "PROXYHOST_CONFIG" || k.StartsWith("JUPYTERHUB_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }

    /// <summary>Runs a command to its end (bounded; the process tree is killed when it overruns) and returns what it printed.</summary>
    public static async Task<CliRun> RunAsync(params string[] arguments)
    {
        File.Exists(Path.ChangeExtension(Dll, ".runtimeconfig.json")).Should().BeTrue("the CLI's runtimeconfig is copied next to the tests");
        using var process = Start(workingDirectory: null, [], arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return new CliRun(process.ExitCode, await output, await error);
    }

    /// <summary>The URL that <c>serve</c> prints once it is listening.</summary>
    public static async Task<string> ReadListeningUrlAsync(Process serve)
    {
        while (await serve.StandardOutput.ReadLineAsync().DefaultTimeout() is { } line)
        {
            if (line.StartsWith("ProxyHost listening on ", StringComparison.Ordinal))
            {
                return line["ProxyHost listening on ".Length..];
            }
        }
        throw new InvalidOperationException("proxyhost serve exited without printing its URL: " + await serve.StandardError.ReadToEndAsync());
    }
}
