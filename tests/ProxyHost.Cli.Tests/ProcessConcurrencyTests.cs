using System.Diagnostics;
using FluentAssertions;

namespace ProxyHost.Cli.Tests;

/// <summary>Runs the built <c>proxyhost.dll</c> as real processes editing one file at the same time.</summary>
public sealed class ProcessConcurrencyTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Add_TwoProcessesAtOnce_LoseNoEntry()
    {
        var names = Enumerable.Range(0, 3).SelectMany(round => new[] { $"first{round}", $"second{round}" }).ToList();

        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(RunProxyHostAsync("add", $"first{round}", "--config", _directory.ConfigPath, "--", "a", "-x"),
                RunProxyHostAsync("add", $"second{round}", "--config", _directory.ConfigPath, "--", "b", "-y"));
            results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.Error));
        }

        _directory.ReadConfig().Servers.Select(s => s.Name).Should().BeEquivalentTo(names);
        _directory.StrayFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Add_InvalidArgumentInRealProcess_PrintsOneLineAndExitsNonZero()
    {
        var result = await RunProxyHostAsync("add", "api", "--config", _directory.ConfigPath, "--", "x");

        result.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        result.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("proxyhost: error: NAME: 'api' is reserved");
    }

    private static async Task<CliRun> RunProxyHostAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "proxyhost.dll");
        File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")).Should().BeTrue("the CLI's runtimeconfig is copied next to the tests");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("PROXYHOST_CONFIG");

        using var process = Process.Start(start)!;
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
}
