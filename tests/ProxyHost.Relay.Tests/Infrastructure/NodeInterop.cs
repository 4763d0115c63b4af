using System.Diagnostics;
using System.Globalization;
using ProxyHost.Tests;

namespace ProxyHost.Relay.Tests.Infrastructure;

/// <summary>
/// Runs the Node scripts in this project's <c>interop/</c> folder (real yjs + y-websocket). A missing
/// node or missing packages fail the test with what to do, never skip it.
/// </summary>
public sealed class NodeInterop : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private NodeInterop(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public static string Folder { get; } = FindFolder();

    /// <summary>Starts <paramref name="script"/>; the script bounds itself by twice the default test timeout.</summary>
    public static NodeInterop Start(string script, params string[] arguments)
    {
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "node is not installed, so the Yjs interop test cannot run: install Node.js 18+ (apt-get install nodejs npm), then run .ci/run or `npm ci` in " + Folder);
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "y-websocket")))
        {
            throw new InvalidOperationException($"the interop npm packages are not installed: run `npm ci` in {Folder} (.ci/run does it)");
        }
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["INTEROP_TIMEOUT_MS"] = ((int)(TestTimeouts.Default.TotalMilliseconds * 2)).ToString(CultureInfo.InvariantCulture);
        return new NodeInterop(Process.Start(start)!);
    }

    /// <summary>Runs a script to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        using var node = Start(script, arguments);
        var output = await node._process.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Default * 3);
        return await node.WaitForExitAsync(output);
    }

    /// <summary>The script's next stdout line (null at its end).</summary>
    public Task<string?> ReadLineAsync() => _process.StandardOutput.ReadLineAsync().DefaultTimeout();

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line).DefaultTimeout();

    /// <summary>Waits for the exit (the outer bound only catches a hung node) and returns the rest of stdout.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> WaitForExitAsync(string? output = null)
    {
        output ??= await _process.StandardOutput.ReadToEndAsync().WaitAsync(TestTimeouts.Default * 3);
        await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Default * 3);
        return (_process.ExitCode, output, await _errors);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
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
