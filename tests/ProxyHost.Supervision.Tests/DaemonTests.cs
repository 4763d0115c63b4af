using System.Diagnostics;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Processes;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>
/// Servers that daemonize for real (setsid, then a double fork): the daemon leaves the server's process
/// group and its parent chain, and must still go on every stop path; a crashed run's leftovers go at the next start.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DaemonTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new("proxyhost-daemon-tests-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task StopAsync_ServerWithRealDaemon_StopsAndReapsTheDaemon()
    {
        await using var harness = CreateHarness(out var pidFile);
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var daemon = await ReadDaemonAsync(pidFile);

        await harness.Supervisor.StopAsync("lab", CancellationToken.None).DefaultTimeout();

        (await ProcessChecks.WaitForExitAsync(daemon, Bound)).Should().BeTrue("the daemon goes with its server");
        (await ProcessChecks.WaitUntilReapedAsync(daemon, Bound)).Should().BeTrue("an adopted daemon must not stay a zombie of ProxyHost");
    }

    [Fact]
    public async Task RestartAsync_ServerWithRealDaemon_StopsTheOldDaemon()
    {
        await using var harness = CreateHarness(out var pidFile);
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var daemon = await ReadDaemonAsync(pidFile);
        File.Delete(pidFile);

        await harness.Supervisor.RestartAsync("lab", CancellationToken.None).DefaultTimeout();

        (await ProcessChecks.WaitForExitAsync(daemon, Bound)).Should().BeTrue("the old run's daemon goes with the restart");
        ProcessChecks.IsAlive(await ReadDaemonAsync(pidFile)).Should().BeTrue("the new run has its own daemon");
    }

    [Fact]
    public async Task DisposeAsync_ServerWithRealDaemon_StopsTheDaemonAndRemovesTheRunRecord()
    {
        var harness = CreateHarness(out var pidFile);
        int daemon;
        try
        {
            var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
            daemon = await ReadDaemonAsync(pidFile);
            var record = RunRecord.TryRead(Directory.GetFiles(RunsDirectory, "*.json").Single(), out var problem);
            problem.Should().BeNull();
            record!.ProcessId.Should().Be(Environment.ProcessId);
            record.Servers.Should().ContainSingle().Which.Should().Match<LaunchRecord>(l => l.Name == "lab" && l.ProcessId == harness.Supervisor.GetSnapshot("lab")!.ProcessId);
            (await BackendClient.GetStringAsync(active.Endpoint, "/env/" + ProcessTree.MarkerVariable)).Should().Be(record.Servers[0].Marker);
        }
        finally
        {
            await harness.DisposeAsync();
        }

        (await ProcessChecks.WaitForExitAsync(daemon, Bound)).Should().BeTrue("no daemon outlives the supervisor");
        Directory.GetFiles(RunsDirectory).Should().BeEmpty("a clean shutdown leaves no run record");
    }

    [Fact]
    public async Task CrashedRunCleaner_RecordOfADeadRun_StopsItsDaemonsAndRemovesItsFolders()
    {
        Directory.CreateDirectory(RunsDirectory);
        var crashedMarker = ProcessTree.NewMarker();
        var liveMarker = ProcessTree.NewMarker();
        var crashedDaemon = await StartDaemonAsync(crashedMarker, "crashed.pid");
        var liveDaemon = await StartDaemonAsync(liveMarker, "live.pid");
        var socketFolder = Directory.CreateDirectory(Path.Combine(_directory.Path, "socket-folder"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        File.WriteAllText(Path.Combine(socketFolder, "socket"), "");
        var selfStart = ReadStartTime(Environment.ProcessId);
        // The same PID with another start time: that ProxyHost is gone and its PID was reused.
        WriteRecord("crashed.json", new RunRecord(1, Environment.ProcessId, selfStart - 1, [new LaunchRecord("lab", crashedDaemon, 1, crashedMarker, socketFolder)]));
        WriteRecord("live.json", new RunRecord(1, Environment.ProcessId, selfStart, [new LaunchRecord("lab", liveDaemon, 1, liveMarker, null)]));
        File.WriteAllText(Path.Combine(RunsDirectory, "other.json"), """{"format":1,"process_id":2,"start_time":3,"servers":[],"extra":true}""");
        try
        {
            await new CrashedRunCleaner(RunsDirectory, TimeProvider.System, NullLogger.Instance).CleanAsync().DefaultTimeout();

            (await ProcessChecks.WaitForExitAsync(crashedDaemon, Bound)).Should().BeTrue("the crashed run's daemon is stopped");
            Directory.Exists(socketFolder).Should().BeFalse("the crashed run's socket folder is removed");
            Directory.GetFiles(RunsDirectory).Select(Path.GetFileName).Should().BeEquivalentTo(["live.json", "other.json"],
                "the crashed run's record goes; a live run's and a file ProxyHost did not write stay");
            ProcessChecks.IsAlive(liveDaemon).Should().BeTrue("a live ProxyHost's processes are not touched");
        }
        finally
        {
            Process.GetProcessById(liveDaemon).Kill();
        }
    }

    private string RunsDirectory => Path.Combine(_directory.Path, "runs");

    private SupervisorHarness CreateHarness(out string pidFile)
    {
        pidFile = Path.Combine(_directory.Path, "daemon.pid");
        return SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("lab", "http", "--port", "<port>", "--daemon", pidFile)],
            options =>
            {
                options.RunRecordsDirectory = RunsDirectory;
                options.BecomeChildSubreaper = true;
            });
    }

    private static async Task<int> ReadDaemonAsync(string pidFile)
    {
        var daemon = (await ProcessChecks.ReadPidFileAsync(pidFile, 1))[0];
        ProcessChecks.IsAlive(daemon).Should().BeTrue("the daemon runs until its server is stopped");
        return daemon;
    }

    /// <summary>A setsid'd, double-forked sleep carrying <paramref name="marker"/>, as a crashed run's daemon would.</summary>
    private async Task<int> StartDaemonAsync(string marker, string pidFileName)
    {
        var pidFile = Path.Combine(_directory.Path, pidFileName);
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["sh", "-c", "sleep 600 </dev/null >/dev/null 2>&1 & echo $! > \"$0\"", pidFile])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[ProcessTree.MarkerVariable] = marker;
        using var middle = Process.Start(start)!;
        await middle.WaitForExitAsync().DefaultTimeout();
        return await ReadDaemonAsync(pidFile);
    }

    private void WriteRecord(string name, RunRecord record) => File.WriteAllBytes(Path.Combine(RunsDirectory, name), record.ToJson());

    private static long ReadStartTime(int pid) => long.Parse(File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[19], System.Globalization.CultureInfo.InvariantCulture);
}
