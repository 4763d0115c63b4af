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
            var results = await Task.WhenAll(ProxyHostProcess.RunAsync("add", $"first{round}", "--config", _directory.ConfigPath, "--", "a", "-x"),
                ProxyHostProcess.RunAsync("add", $"second{round}", "--config", _directory.ConfigPath, "--", "b", "-y"));
            results.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.Error));
        }

        _directory.ReadConfig().Servers.Select(s => s.Name).Should().BeEquivalentTo(names);
        _directory.StrayFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task Add_InvalidArgumentInRealProcess_PrintsOneLineAndExitsNonZero()
    {
        var result = await ProxyHostProcess.RunAsync("add", "api", "--config", _directory.ConfigPath, "--", "x");

        result.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        result.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("proxyhost: error: NAME: 'api' is reserved");
    }
}
