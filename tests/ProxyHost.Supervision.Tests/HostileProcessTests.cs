using System.Diagnostics;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>A process that floods its output must not grow ProxyHost's memory: only the bounded log keeps lines.</summary>
public sealed class HostileProcessTests(ITestOutputHelper output)
{
    private const long FloodBytes = 256L * 1024 * 1024;

    [Fact]
    public async Task OutputFlood_256MegabytesBeforeListening_KeepsManagedMemoryBounded()
    {
        // 256 MiB of 100-character lines (about 2.7 million), then the dummy server.
        var flood = $"yes \"$(printf '%0100d' 0)\" | head -c {FloodBytes}; exec \"$@\"";
        var definition = new ServerProcessDefinition
        {
            Name = "flood",
            Command = new EquatableArray<string>(["sh", "-c", flood, "sh", .. DummyProgram.Argv("http", "--port", "<port>")]),
            Timeout = TimeSpan.FromSeconds(120),
        };
        await using var harness = SupervisorHarness.Create(output, [definition], options => options.LogCapacity = 500, LogLevel.Information);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();

        await harness.Supervisor.EnsureRunningAsync("flood", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(150));

        var log = harness.Supervisor.GetLog("flood")!;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{FloodBytes >> 20} MiB of output in {clock.Elapsed.TotalSeconds:F1} s; managed heap {before >> 20} -> {after >> 20} MiB");
        log.Tail(int.MaxValue).Should().HaveCount(500);
        (after - before).Should().BeLessThan(32L * 1024 * 1024, "only the last 500 lines are kept");
    }
}
