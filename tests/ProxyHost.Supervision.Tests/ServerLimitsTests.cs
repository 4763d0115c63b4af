using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>A server's limits reach its real process, and a limit that nothing here enforces is a warning that names it.</summary>
public sealed partial class ServerLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OpenFilesAndProcesses_AreTheRunningServersResourceLimits_OrAWarningWhereTheyCannotBind()
    {
        var processesNotEnforced = new LogEventSignal((id, message) => id.Id == SupervisionEventIds.LimitNotEnforced && message.Contains("limits.processes (4000)", StringComparison.Ordinal));
        var server = SupervisorHarness.Dummy("app", "http", "--port", "<port>") with { Limits = new ServerLimits { OpenFiles = 300, Processes = 4000 } };
        await using var harness = SupervisorHarness.Create(output, [server], logSignals: [processesNotEnforced]);

        await harness.Supervisor.EnsureRunningAsync("app", CancellationToken.None).DefaultTimeout();
        var limits = await File.ReadAllTextAsync($"/proc/{harness.Supervisor.GetSnapshot("app")!.ProcessId}/limits");

        Limit(limits, "Max open files").Should().Be(("300", "300"));
        if (Environment.IsPrivilegedProcess)
        {
            (await processesNotEnforced.Logged.DefaultTimeout()).Should().Contain("does not bind root");
        }
        else
        {
            Limit(limits, "Max processes").Should().Be(("4000", "4000"));
        }
    }

    [Fact]
    public async Task LimitsWithoutAMechanismHere_AreWarningsNamingEachOne_AndTheMechanismIsSaidOnce()
    {
        var mechanismLines = 0;
        var counter = new LogEventSignal((id, _) => id.Id == SupervisionEventIds.LimitMechanism && Interlocked.Increment(ref mechanismLines) < 0);
        var memory = new LogEventSignal((id, message) => id.Id == SupervisionEventIds.LimitNotEnforced && message.StartsWith("a: limits.memory (2 GiB)", StringComparison.Ordinal));
        var cpu = new LogEventSignal((id, message) => id.Id == SupervisionEventIds.LimitNotEnforced && message.StartsWith("b: limits.cpu (1.5 cores)", StringComparison.Ordinal));
        ServerProcessDefinition[] servers =
        [
            SupervisorHarness.Dummy("a", "http", "--port", "<port>") with { Limits = new ServerLimits { MemoryBytes = 2L << 30 } },
            SupervisorHarness.Dummy("b", "http", "--port", "<port>") with { Limits = new ServerLimits { Cpus = 1.5 } },
        ];
        await using var harness = SupervisorHarness.Create(output, servers, logSignals: [counter, memory, cpu]);

        _ = harness.Supervisor;

        (await memory.Logged.DefaultTimeout()).Should().EndWith("it is not enforced");
        await cpu.Logged.DefaultTimeout();
        Volatile.Read(ref mechanismLines).Should().Be(1);
    }

    private static (string Soft, string Hard) Limit(string procLimits, string name)
    {
        var match = LimitLine().Matches(procLimits).Single(m => m.Groups[1].Value.Trim() == name);
        return (match.Groups[2].Value, match.Groups[3].Value);
    }

    [GeneratedRegex(@"^(.{26})(\S+)\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex LimitLine();
}
