using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Limits;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>A server's limits reach its real process, and a limit that nothing here enforces is a warning that names it.</summary>
public sealed partial class ServerLimitsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OpenFiles_IsTheRunningServersResourceLimit()
    {
        var server = SupervisorHarness.Dummy("app", "http", "--port", "<port>") with { Limits = new ServerLimits { OpenFiles = 300 } };
        await using var harness = SupervisorHarness.Create(output, [server]);

        await harness.Supervisor.EnsureRunningAsync("app", CancellationToken.None).DefaultTimeout();
        var limits = await File.ReadAllTextAsync($"/proc/{harness.Supervisor.GetSnapshot("app")!.ProcessId}/limits");

        Limit(limits, "Max open files").Should().Be(("300", "300"));
    }

    [Fact]
    public async Task CpuAndMemory_AreTheLimitsOfTheCgroupTheServerRunsIn_WhereCgroupsAreManaged()
    {
        var notEnforced = new LogEventSignal(SupervisionEventIds.LimitNotEnforced);
        var server = SupervisorHarness.Dummy("app", "http", "--port", "<port>") with { Limits = new ServerLimits { Cpus = 1.5, MemoryBytes = 512L << 20 } };
        await using var harness = SupervisorHarness.Create(output, [server], logSignals: [notEnforced]);
        await harness.Supervisor.EnsureRunningAsync("app", CancellationToken.None).DefaultTimeout();
        if (notEnforced.Logged.IsCompleted)
        {
            (await notEnforced.Logged).Should().Contain("limits.cpu (1.5 cores)");
            return;
        }

        var groups = (await File.ReadAllLinesAsync($"/proc/{harness.Supervisor.GetSnapshot("app")!.ProcessId}/cgroup")).Select(l => l.Split(':', 3)).ToList();
        var mounts = CgroupMounts.Read();
        if (mounts.UnifiedGroup is not null && groups.Single(g => g[0] == "0")[2].Contains("proxyhost-", StringComparison.Ordinal))
        {
            var group = Path.Join(mounts.UnifiedGroup[..mounts.UnifiedGroup.LastIndexOf('/')], groups.Single(g => g[0] == "0")[2]);
            (await File.ReadAllTextAsync(Path.Join(group, "cpu.max"))).Trim().Should().Be("150000 100000");
            (await File.ReadAllTextAsync(Path.Join(group, "memory.max"))).Trim().Should().Be("536870912");
            return;
        }
        var cpu = groups.Single(g => g[1].Split(',').Contains("cpu"))[2];
        var memory = groups.Single(g => g[1] == "memory")[2];
        cpu.Should().Contain("proxyhost-");
        (await File.ReadAllTextAsync(Path.Join(mounts.V1Groups["cpu"][..^CurrentV1Path("cpu").Length], cpu, "cpu.cfs_quota_us"))).Trim().Should().Be("150000");
        (await File.ReadAllTextAsync(Path.Join(mounts.V1Groups["memory"][..^CurrentV1Path("memory").Length], memory, "memory.limit_in_bytes"))).Trim().Should().Be("536870912");
    }

    [Fact]
    public async Task GroupsLeftByAKilledRun_AreRemoved_WhenLimitsAreNextUsed()
    {
        if (!CgroupMounts.Read().V1Groups.TryGetValue("pids", out var pids) || !Writable(pids))
        {
            return;
        }
        var leftover = Path.Join(pids, "proxyhost-4194999");
        Directory.CreateDirectory(Path.Join(leftover, "launch"));
        var server = SupervisorHarness.Dummy("app", "http", "--port", "<port>") with { Limits = new ServerLimits { Processes = 100 } };
        await using var harness = SupervisorHarness.Create(output, [server], enforcement: LimitEnforcement.Detect());

        await harness.Supervisor.EnsureRunningAsync("app", CancellationToken.None).DefaultTimeout();

        Directory.Exists(leftover).Should().BeFalse("process 4194999 does not exist, so its groups are left over");
    }

    [Fact]
    public async Task TheMechanism_IsSaidOnce_HoweverManyServersDeclareLimits()
    {
        var mechanismLines = 0;
        var counter = new LogEventSignal((id, _) => id.Id == SupervisionEventIds.LimitMechanism && Interlocked.Increment(ref mechanismLines) < 0);
        ServerProcessDefinition[] servers =
        [
            SupervisorHarness.Dummy("a", "http", "--port", "<port>") with { Limits = new ServerLimits { MemoryBytes = 2L << 30 } },
            SupervisorHarness.Dummy("b", "http", "--port", "<port>") with { Limits = new ServerLimits { Cpus = 1.5 } },
            SupervisorHarness.Dummy("c", "http", "--port", "<port>"),
        ];
        await using var harness = SupervisorHarness.Create(output, servers, logSignals: [counter]);

        harness.Supervisor.GetSnapshots().Should().HaveCount(3);

        Volatile.Read(ref mechanismLines).Should().Be(1);
    }

    [Fact]
    public void WithoutCgroupsOrPrlimit_AsRoot_EveryLimitIsNamedWithWhyItIsNotEnforced()
    {
        var bare = new LimitEnforcement(hasPrlimit: false, isRoot: true, () => CgroupManager.None);

        bare.Unenforceable(new ServerLimits { MemoryBytes = 2L << 30, Cpus = 1.5, Processes = 50, OpenFiles = 1024 }).Should().Equal(
            "limits.memory (2 GiB): needs a cgroup that ProxyHost may manage (a delegated cgroup v2 or a writable cgroup v1 controller), and there is none here",
            "limits.cpu (1.5 cores): needs a cgroup that ProxyHost may manage (a delegated cgroup v2 or a writable cgroup v1 controller), and there is none here",
            "limits.processes (50): no pids cgroup is available, and prlimit (util-linux) was not found",
            "limits.open_files (1024): prlimit (util-linux) was not found");
        bare.Describe().Should().Be("server limits cannot be enforced here; not enforceable here: memory, cpu, processes, open_files");
        bare.LauncherPrefix(new ServerLimits { OpenFiles = 1024 }, group: null).Should().BeEmpty();
    }

    [Fact]
    public void WithPrlimitOnly_AsAUser_ProcessesAndOpenFilesAreResourceLimits()
    {
        var user = new LimitEnforcement(hasPrlimit: true, isRoot: false, () => CgroupManager.None);

        user.Unenforceable(new ServerLimits { Processes = 50, OpenFiles = 1024 }).Should().BeEmpty();
        user.LauncherPrefix(new ServerLimits { Processes = 50, OpenFiles = 1024 }, group: null).Should().Equal(
            LimitEnforcement.PrlimitPath, "--nofile=1024:1024", "--nproc=50:50", "--");
        user.Describe().Should().Be("server limits are enforced with per-process resource limits (prlimit) for open_files and processes; not enforceable here: memory, cpu");
    }

    [Fact]
    public async Task MemoryLimit_StopsAServerThatOutgrowsIt_AndSaysSoInWords()
    {
        var notEnforced = new LogEventSignal((id, message) => id.Id == SupervisionEventIds.LimitNotEnforced && message.Contains("limits.memory", StringComparison.Ordinal));
        using var script = new TempDirectory("proxyhost-limits-");
        var server = Python("hog", script, GrowingServer) with { Limits = new ServerLimits { MemoryBytes = 96L << 20 } };
        await using var harness = SupervisorHarness.Create(output, [server], logSignals: [notEnforced]);
        var active = await harness.Supervisor.EnsureRunningAsync("hog", CancellationToken.None).DefaultTimeout();
        if (notEnforced.Logged.IsCompleted)
        {
            (await notEnforced.Logged).Should().Contain("limits.memory (96 MiB)");
            return;
        }

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{active.Endpoint.Port}/"), Timeout = TestTimeouts.Default };
        for (var step = 0; step < 10 && harness.Supervisor.GetSnapshot("hog")!.LastExit is null; step++)
        {
            try
            {
                output.WriteLine(await client.GetStringAsync("grow"));
            }
            catch (HttpRequestException)
            {
                break;
            }
        }
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "hog");
        var exited = await recorder.WaitForAsync(s => s.LastExit is not null);

        exited.LastExit!.LimitReached.Should().Be("out of memory at its 96 MiB limit");
        exited.LastError.Should().Contain("stopped: out of memory at its 96 MiB limit");
    }

    [Fact]
    public async Task ProcessesLimit_HoldsAForkingServer_OrIsAWarningWhereNothingBindsIt()
    {
        var notEnforced = new LogEventSignal((id, message) => id.Id == SupervisionEventIds.LimitNotEnforced && message.Contains("limits.processes", StringComparison.Ordinal));
        using var script = new TempDirectory("proxyhost-limits-");
        var server = Python("forks", script, ForkingServer) with { Limits = new ServerLimits { Processes = 20 } };
        await using var harness = SupervisorHarness.Create(output, [server], logSignals: [notEnforced]);
        var active = await harness.Supervisor.EnsureRunningAsync("forks", CancellationToken.None).DefaultTimeout();
        if (notEnforced.Logged.IsCompleted)
        {
            (await notEnforced.Logged).Should().Contain("limits.processes (20)");
            return;
        }

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{active.Endpoint.Port}/"), Timeout = TestTimeouts.Default };
        var forked = int.Parse(await client.GetStringAsync("forked").DefaultTimeout(), System.Globalization.CultureInfo.InvariantCulture);

        forked.Should().BeInRange(1, 19, "the server and its children together stay within 20 processes, of the 200 it tried");
    }

    private const string GrowingServer = """
        import http.server, sys
        hog = []
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hog.append(b"x" * (32 << 20))
                body = f"{len(hog) * 32} MiB".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    private const string ForkingServer = """
        import http.server, os, sys, time
        forked = 0
        for _ in range(200):
            try:
                if os.fork() == 0:
                    time.sleep(600)
                    os._exit(0)
                forked += 1
            except OSError:
                break
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = str(forked).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    private static ServerProcessDefinition Python(string name, TempDirectory folder, string script)
    {
        var path = folder.Combine(name + ".py");
        File.WriteAllText(path, script);
        return new ServerProcessDefinition { Name = name, Command = ["python3", path, "<port>"], Timeout = TimeSpan.FromSeconds(20) };
    }

    private static bool Writable(string directory) => Environment.IsPrivilegedProcess && Directory.Exists(directory);

    // This test process's own group path in a v1 hierarchy, as /proc/self/cgroup gives it.
    private static string CurrentV1Path(string controller) =>
        File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).Single(g => g[1].Split(',').Contains(controller))[2].TrimEnd('/');

    private static (string Soft, string Hard) Limit(string procLimits, string name)
    {
        var match = LimitLine().Matches(procLimits).Single(m => m.Groups[1].Value.Trim() == name);
        return (match.Groups[2].Value, match.Groups[3].Value);
    }

    [GeneratedRegex(@"^(.{26})(\S+)\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex LimitLine();
}
