using System.Diagnostics;
using System.Text;
using ProxyHost.Tests;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>
/// Runs the Node scripts in this project's <c>interop/</c> folder (real yjs + y-websocket). A missing
/// node or missing packages fail the test with what to do, never skip it.
/// </summary>
public static class NodeInterop
{
    public static string Folder { get; } = FindFolder();

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "node is not installed, so the Yjs interop test cannot run: install Node.js 18+ (apt-get install nodejs npm), then run .ci/run or `npm ci` in " + Folder);
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "y-websocket")))
        {
            throw new InvalidOperationException($"the interop npm packages are not installed: run `npm ci` in {Folder} (.ci/run does it)");
        }

        var start = new ProcessStartInfo(node) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["INTEROP_TIMEOUT_MS"] = ((int)(TestTimeouts.Default.TotalMilliseconds * 2)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            // The script bounds itself; this outer bound only catches a hung node.
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Default * 3);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "ProxyHost.Relay.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find tests/ProxyHost.Relay.Tests/interop above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
