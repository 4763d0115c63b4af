using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Logs;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

public sealed class ServerProcessSupervisorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EnsureRunningAsync_TemplatedDefinition_RendersArgvEnvironmentAndHeaders()
    {
        var definition = SupervisorHarness.Dummy("lab", "http", "--port", "<port>", "--label", "{base_url}lab") with
        {
            Environment = new EquatableMap([new("DUMMY_PORT", "<port>"), new("DUMMY_BASE", "<base_url>x")]),
            RequestHeadersOverride = new EquatableMap([new("X-Port", "{port}"), new("X-Base", "<base_url>")]),
        };
        await using var harness = SupervisorHarness.Create(output, definition);

        var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        var port = active.Endpoint.Port.ToString(CultureInfo.InvariantCulture);
        var argv = JsonSerializer.Deserialize<string[]>(await BackendClient.GetStringAsync(active.Endpoint, "/argv"));
        argv.Should().Equal("http", "--port", port, "--label", "/hub/lab");
        (await BackendClient.GetStringAsync(active.Endpoint, "/env/DUMMY_PORT")).Should().Be(port);
        (await BackendClient.GetStringAsync(active.Endpoint, "/env/DUMMY_BASE")).Should().Be("/hub/x");
        active.RequestHeaders.Should().BeEquivalentTo(new Dictionary<string, string> { ["X-Port"] = port, ["X-Base"] = "/hub/" });
    }

    [Fact]
    public async Task Supervisor_BeforeAnyRequest_StartsNothing()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));

        var snapshot = harness.Supervisor.GetSnapshot("lab");

        snapshot.Should().NotBeNull();
        snapshot!.State.Should().Be(ServerProcessState.NotStarted);
        snapshot.ProcessId.Should().BeNull();
        snapshot.IsManaged.Should().BeTrue();
        harness.Supervisor.GetLog("lab")!.Tail(10).Should().BeEmpty();
        harness.Supervisor.GetSnapshots().Select(s => s.Name).Should().Equal("lab");
    }

    [Fact]
    public async Task EnsureRunningAsync_ConcurrentCallers_ShareOneStart()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).AsTask()))).DefaultTimeout();

        results.Distinct().Should().ContainSingle();
        var snapshot = harness.Supervisor.GetSnapshot("lab")!;
        snapshot.State.Should().Be(ServerProcessState.Running);
        snapshot.Restarts.Should().Be(0);
        (await BackendClient.GetPidAsync(results[0].Endpoint)).Should().Be(snapshot.ProcessId);
        harness.Supervisor.GetLog("lab")!.Tail(1000).Count(l => l.Stream == LogStream.Supervisor && l.Text.StartsWith("started process", StringComparison.Ordinal))
            .Should().Be(1);
        (await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None)).Should().BeSameAs(results[0]);
    }

    [Fact]
    public async Task EnsureRunningAsync_UnknownServer_ThrowsUnknown()
    {
        await using var harness = SupervisorHarness.Create(output);

        var act = async () => await harness.Supervisor.EnsureRunningAsync("nope", CancellationToken.None);

        (await act.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.Unknown);
    }

    [Fact]
    public async Task EnsureRunningAsync_NeverListens_TimesOutAndStopsTheProcess()
    {
        var definition = SupervisorHarness.Dummy("slow", "never-listen", "--print", "1") with { Timeout = TimeSpan.FromSeconds(2) };
        await using var harness = SupervisorHarness.Create(output, definition);
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "slow");

        var act = async () => await harness.Supervisor.EnsureRunningAsync("slow", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.TimedOut);
        error.Message.Should().Contain("'slow'").And.Contain("2 s");
        error.OutputTail.Select(l => l.Text).Should().Contain("never listening");
        var pid = (await recorder.WaitForAsync(s => s.ProcessId is not null)).ProcessId!.Value;
        ProcessChecks.IsAlive(pid).Should().BeFalse("the process is stopped before the error is reported");
        harness.Supervisor.GetSnapshot("slow")!.State.Should().Be(ServerProcessState.Failed);
    }

    [Fact]
    public async Task EnsureRunningAsync_ExitsWhileStarting_ReportsExitCodeAndOutputTail()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("crash", "exit", "--code", "3", "--print", "2"));

        var act = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.ExitedWhileStarting);
        error.Exit!.ExitCode.Should().Be(3);
        error.Message.Should().Contain("exit code 3");
        error.OutputTail.Select(l => l.Text).Should().Contain(["line 1", "line 2", "exiting with 3"]);
        var snapshot = harness.Supervisor.GetSnapshot("crash")!;
        snapshot.State.Should().Be(ServerProcessState.Failed);
        snapshot.LastExit!.ExitCode.Should().Be(3);
        snapshot.LastError.Should().Contain("exit code 3");
    }

    [Fact]
    public async Task EnsureRunningAsync_ProgramMissing_ThrowsLaunchFailed()
    {
        var definition = new ServerProcessDefinition { Name = "missing", Command = new[] { "proxyhost-no-such-program", "<port>" } };
        await using var harness = SupervisorHarness.Create(output, definition);

        var act = async () => await harness.Supervisor.EnsureRunningAsync("missing", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.LaunchFailed);
        error.Message.Should().Contain("proxyhost-no-such-program").And.Contain("not found");
    }

    [Fact]
    public async Task EnsureRunningAsync_InvalidTemplate_ThrowsInvalidDefinition()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("bad", "http", "--port", "<prot>"));

        var act = async () => await harness.Supervisor.EnsureRunningAsync("bad", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.InvalidDefinition);
        error.Message.Should().Contain("'bad'").And.Contain("command[4]").And.Contain("<prot>");
    }

    [Fact]
    public async Task EnsureRunningAsync_ProcessKilledExternally_RestartsWithNewPid()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");
        var first = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var firstPid = harness.Supervisor.GetSnapshot("lab")!.ProcessId!.Value;

        using (var process = Process.GetProcessById(firstPid))
        {
            process.Kill();
        }
        var exited = await recorder.WaitForAsync(s => s.State == ServerProcessState.Exited);
        var second = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        exited.LastExit!.Signal.Should().Be(9);
        var snapshot = harness.Supervisor.GetSnapshot("lab")!;
        snapshot.ProcessId.Should().NotBe(firstPid);
        snapshot.Restarts.Should().Be(1);
        second.Endpoint.Should().Be(first.Endpoint, "the allocated port is kept for restarts of the same definition");
        (await BackendClient.GetPidAsync(second.Endpoint)).Should().Be(snapshot.ProcessId);
    }

    [Fact]
    public async Task EnsureRunningAsync_QuickFailure_NextStartWaitsInBackoff()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("crash", "exit", "--code", "1")],
            options =>
            {
                options.RestartBackoffInitialDelay = TimeSpan.FromSeconds(4);
                options.RestartBackoffMaximumDelay = TimeSpan.FromSeconds(10);
            },
            clock: clock);
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "crash");
        var first = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();
        await first.Should().ThrowAsync<ServerUnavailableException>();

        var second = harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).AsTask();
        var backoff = await recorder.WaitForAsync(s => s.State == ServerProcessState.Backoff);
        backoff.RetryAt.Should().BeCloseTo(clock.GetUtcNow() + TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(0.81), "4 s ± 20 % jitter");
        clock.Advance(TimeSpan.FromSeconds(3.1));
        second.IsCompleted.Should().BeFalse("the start waits out its backoff");
        clock.Advance(TimeSpan.FromSeconds(2));

        (await second.Invoking(t => t.DefaultTimeout()).Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.ExitedWhileStarting);
        await recorder.WaitForAsync(s => s.State == ServerProcessState.Failed && s.Restarts == 1);
        recorder.Seen.Select(s => s.State).Should().ContainInOrder(
            ServerProcessState.Starting, ServerProcessState.Failed, ServerProcessState.Backoff, ServerProcessState.Starting, ServerProcessState.Failed);
    }

    [Fact]
    public async Task EnsureRunningAsync_RepeatedQuickFailures_OpensCrashLoopCircuitUntilCoolDown()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("crash", "exit", "--code", "1", "--print", "1")],
            options =>
            {
                options.RestartBackoffInitialDelay = TimeSpan.Zero;
                options.CrashLoopFailureThreshold = 3;
                options.CrashLoopSamplingDuration = TimeSpan.FromSeconds(60);
                options.CrashLoopBreakDuration = TimeSpan.FromSeconds(30);
            },
            clock: clock);
        for (var i = 0; i < 3; i++)
        {
            var failing = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();
            (await failing.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.ExitedWhileStarting);
        }

        var rejected = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();

        var error = (await rejected.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.CrashLoop);
        error.RetryAt.Should().NotBeNull();
        error.OutputTail.Select(l => l.Text).Should().Contain("line 1");
        var snapshot = harness.Supervisor.GetSnapshot("crash")!;
        snapshot.State.Should().Be(ServerProcessState.Failed);
        snapshot.RetryAt.Should().Be(error.RetryAt);
        var restartsWhileOpen = snapshot.Restarts;

        clock.Advance(TimeSpan.FromSeconds(29));
        var stillOpen = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();
        (await stillOpen.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.CrashLoop);
        error.RetryAt.Should().Be(clock.GetUtcNow() - TimeSpan.FromSeconds(29) + TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromSeconds(2));
        var trial = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();

        (await trial.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.ExitedWhileStarting,
            "after the cool-down one trial start runs again");
        harness.Supervisor.GetSnapshot("crash")!.Restarts.Should().Be(restartsWhileOpen + 1);
        var reopened = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None).DefaultTimeout();
        (await reopened.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.CrashLoop,
            "a failed trial opens the circuit again");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EnsureRunningAsync_UnixSocketInPrivateDirectory_ServesAndRemovesDirectoryOnStop()
    {
        var definition = SupervisorHarness.Dummy("sock", "http", "--unix-socket", "<unix_socket>", "--label", "<port>") with
        {
            UnixSocket = UnixSocketSetting.PrivateDirectory,
            RequestHeadersOverride = new EquatableMap([new("X-Socket", "<unix_socket>")]),
        };
        await using var harness = SupervisorHarness.Create(output, definition);

        var active = await harness.Supervisor.EnsureRunningAsync("sock", CancellationToken.None).DefaultTimeout();

        active.Endpoint.IsUnixSocket.Should().BeTrue();
        active.Endpoint.Port.Should().Be(0);
        var directory = Path.GetDirectoryName(active.Endpoint.UnixSocketPath)!;
        Path.GetFileName(directory).Should().StartWith("sock-");
        Path.GetDirectoryName(directory).Should().Be(Path.Combine(ProxyHost.Security.PrivateState.Root, "sockets"));
        File.GetUnixFileMode(directory).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (await BackendClient.GetStringAsync(active.Endpoint, "/")).Should().Be("dummy ok");
        JsonSerializer.Deserialize<string[]>(await BackendClient.GetStringAsync(active.Endpoint, "/argv")).Should().EndWith(["--label", "0"]);
        active.RequestHeaders["X-Socket"].Should().Be(active.Endpoint.UnixSocketPath);

        await harness.Supervisor.StopAsync("sock", CancellationToken.None).DefaultTimeout();

        Directory.Exists(directory).Should().BeFalse();
    }

    [Fact]
    public async Task EnsureRunningAsync_UnmanagedDefinition_ReturnsFixedEndpointWithoutStarting()
    {
        var definition = new ServerProcessDefinition
        {
            Name = "external",
            Port = 45678,
            RequestHeadersOverride = new EquatableMap([new("X-Port", "<port>")]),
        };
        await using var harness = SupervisorHarness.Create(output, definition);

        var active = await harness.Supervisor.EnsureRunningAsync("external", CancellationToken.None).DefaultTimeout();

        active.Endpoint.Should().Be(ServerEndpoint.Tcp(45678));
        active.RequestHeaders["X-Port"].Should().Be("45678");
        var snapshot = harness.Supervisor.GetSnapshot("external")!;
        snapshot.IsManaged.Should().BeFalse();
        snapshot.ProcessId.Should().BeNull();
        snapshot.Endpoint.Should().Be(ServerEndpoint.Tcp(45678));
        harness.Supervisor.GetLog("external")!.Tail(10).Should().BeEmpty();
    }

    [Fact]
    public async Task CatalogUpdate_DefinitionChanged_StopsOldProcessAndStartsNewOnDemand()
    {
        var original = SupervisorHarness.Dummy("lab", "http", "--port", "<port>");
        await using var harness = SupervisorHarness.Create(output, original);
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var oldPid = harness.Supervisor.GetSnapshot("lab")!.ProcessId!.Value;
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");

        harness.Catalog.Update([original with { Environment = new EquatableMap([new("DUMMY_GENERATION", "2")]) }]);

        (await ProcessChecks.WaitForExitAsync(oldPid)).Should().BeTrue();
        await recorder.WaitForAsync(s => s.State == ServerProcessState.NotStarted && s.ProcessId is null);
        var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        (await BackendClient.GetStringAsync(active.Endpoint, "/env/DUMMY_GENERATION")).Should().Be("2");
        harness.Supervisor.GetSnapshot("lab")!.ProcessId.Should().NotBe(oldPid);
        recorder.Seen.Select(s => s.Version).Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task CatalogUpdate_DefinitionRemoved_StopsProcessAndForgetsServer()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var pid = harness.Supervisor.GetSnapshot("lab")!.ProcessId!.Value;

        harness.Catalog.Update([]);

        (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue();
        harness.Supervisor.GetSnapshot("lab").Should().BeNull();
        var act = async () => await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None);
        (await act.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.Unknown);
    }

    [Fact]
    public async Task StopAsync_RunningServer_StopsGracefullyAndStartsAgainOnNextRequest()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var pid = harness.Supervisor.GetSnapshot("lab")!.ProcessId!.Value;

        await harness.Supervisor.StopAsync("lab", CancellationToken.None).DefaultTimeout();

        await recorder.WaitForAsync(s => s.State == ServerProcessState.Stopped);
        var stopped = harness.Supervisor.GetSnapshot("lab")!;
        stopped.State.Should().Be(ServerProcessState.Stopped);
        stopped.ProcessId.Should().BeNull();
        stopped.LastExit!.Signal.Should().BeNull("SIGTERM lets the dummy shut down by itself");
        stopped.LastExit.ExitCode.Should().Be(0);
        ProcessChecks.IsAlive(pid).Should().BeFalse();
        recorder.Seen.Select(s => s.State).Should().Equal(
            ServerProcessState.NotStarted, ServerProcessState.Starting, ServerProcessState.Starting, ServerProcessState.Running,
            ServerProcessState.Stopping, ServerProcessState.Stopped);
        recorder.Seen.Select(s => s.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();

        var again = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        (await BackendClient.GetPidAsync(again.Endpoint)).Should().NotBe(pid);
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresSigterm_KilledAfterGracePeriod()
    {
        await using var harness = SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("stubborn", "http", "--port", "<port>", "--ignore-sigterm")],
            options => options.StopGracePeriod = TimeSpan.FromSeconds(1));
        await harness.Supervisor.EnsureRunningAsync("stubborn", CancellationToken.None).DefaultTimeout();
        var pid = harness.Supervisor.GetSnapshot("stubborn")!.ProcessId!.Value;

        var watch = Stopwatch.StartNew();
        await harness.Supervisor.StopAsync("stubborn", CancellationToken.None).DefaultTimeout();

        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
        harness.Supervisor.GetSnapshot("stubborn")!.LastExit!.Signal.Should().Be(9);
        ProcessChecks.IsAlive(pid).Should().BeFalse();
        harness.Supervisor.GetLog("stubborn")!.Tail(100).Select(l => l.Text).Should().Contain("ignoring SIGTERM");
    }

    [Fact]
    public async Task RestartAsync_RunningServer_ReturnsReadyServerWithNewProcess()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var oldPid = harness.Supervisor.GetSnapshot("lab")!.ProcessId!.Value;

        var active = await harness.Supervisor.RestartAsync("lab", CancellationToken.None).DefaultTimeout();

        var snapshot = harness.Supervisor.GetSnapshot("lab")!;
        snapshot.State.Should().Be(ServerProcessState.Running);
        snapshot.ProcessId.Should().NotBe(oldPid);
        snapshot.Restarts.Should().Be(1);
        ProcessChecks.IsAlive(oldPid).Should().BeFalse();
        (await BackendClient.GetPidAsync(active.Endpoint)).Should().Be(snapshot.ProcessId);
    }

    [Fact]
    public async Task DisposeAsync_ServersWithGrandchildrenAndDaemons_LeavesNoOrphans()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"proxyhost-test-{Guid.NewGuid():N}.pid");
        var daemonPidFile = Path.Combine(Path.GetTempPath(), $"proxyhost-test-{Guid.NewGuid():N}.pid");
        var dummy = string.Join(' ', DummyProgram.Prefix.Select(a => "'" + a + "'"));
        var harness = SupervisorHarness.Create(
            output,
            SupervisorHarness.Dummy("parent", "http", "--port", "<port>", "--spawn-child", pidFile),
            new ServerProcessDefinition
            {
                Name = "daemon",
                Command = new[] { "sh", "-c", $"{dummy} daemonize '{daemonPidFile}' && exec {dummy} http --port <port>" },
                Timeout = TimeSpan.FromSeconds(20),
            });
        int[] pids;
        try
        {
            await Task.WhenAll(
                harness.Supervisor.EnsureRunningAsync("parent", CancellationToken.None).AsTask(),
                harness.Supervisor.EnsureRunningAsync("daemon", CancellationToken.None).AsTask()).DefaultTimeout();
            pids =
            [
                .. await ProcessChecks.ReadPidFileAsync(pidFile, 2),
                .. await ProcessChecks.ReadPidFileAsync(daemonPidFile, 1),
                harness.Supervisor.GetSnapshot("daemon")!.ProcessId!.Value,
            ];
            pids.Should().OnlyContain(pid => ProcessChecks.IsAlive(pid));
        }
        finally
        {
            await harness.DisposeAsync();
            File.Delete(pidFile);
            File.Delete(daemonPidFile);
        }

        foreach (var pid in pids)
        {
            (await ProcessChecks.WaitForExitAsync(pid, TimeSpan.FromSeconds(5))).Should().BeTrue($"process {pid} must not outlive the supervisor");
        }
    }

    [Fact]
    public async Task EnsureRunningAsync_ProcessWritesManyLines_LogStaysBounded()
    {
        await using var harness = SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("chatty", "http", "--port", "<port>", "--print", "5000")],
            options => options.LogCapacity = 50);

        await harness.Supervisor.EnsureRunningAsync("chatty", CancellationToken.None).DefaultTimeout();

        var log = harness.Supervisor.GetLog("chatty")!;
        using var cancel = new CancellationTokenSource(TestTimeouts.Default);
        await foreach (var line in log.WatchAsync(50, cancel.Token))
        {
            if (line.Text == "line 5000")
            {
                break;
            }
        }
        log.Capacity.Should().Be(50);
        log.Tail(int.MaxValue).Should().HaveCount(50);
    }

    [Fact]
    public async Task WatchAsync_ServerStartsAndStops_StreamsSnapshotsInOrder()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));
        using var cancel = new CancellationTokenSource(TestTimeouts.Default);
        var seen = new List<ServerProcessSnapshot>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = Task.Run(async () =>
        {
            await foreach (var snapshot in harness.Supervisor.WatchAsync(cancel.Token))
            {
                seen.Add(snapshot);
                first.TrySetResult();
                if (snapshot.State == ServerProcessState.Stopped)
                {
                    return;
                }
            }
        });

        await first.Task.DefaultTimeout();
        await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        await harness.Supervisor.StopAsync("lab", CancellationToken.None).DefaultTimeout();
        await watching.DefaultTimeout();

        seen.Select(s => s.State).Distinct().Should().ContainInOrder(
            ServerProcessState.NotStarted, ServerProcessState.Starting, ServerProcessState.Running, ServerProcessState.Stopping, ServerProcessState.Stopped);
        seen.Select(s => s.Version).Should().BeInAscendingOrder();
        seen.Single(s => s.State == ServerProcessState.Running).ReadyAt.Should().NotBeNull();
    }

    [Fact]
    public async Task EnsureRunningAsync_SlowStartingServer_WaitsUntilItAnswers()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("slow", "http", "--port", "<port>", "--delay-ms", "1500"));

        var active = await harness.Supervisor.EnsureRunningAsync("slow", CancellationToken.None).DefaultTimeout();

        var snapshot = harness.Supervisor.GetSnapshot("slow")!;
        (snapshot.ReadyAt - snapshot.StartedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.5));
        (await BackendClient.GetStringAsync(active.Endpoint, "/")).Should().Be("dummy ok");
    }

    [Fact]
    public async Task EnsureRunningAsync_ServerCrashesWhileRunning_ReportsExitAndRestartsOnNextRequest()
    {
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("flaky", "http", "--port", "<port>"));
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "flaky");
        var server = await harness.Supervisor.EnsureRunningAsync("flaky", CancellationToken.None).DefaultTimeout();
        using var client = new HttpClient();

        try
        {
            await client.PostAsync($"http://127.0.0.1:{server.Endpoint.Port}/exit/7", null).DefaultTimeout();
        }
        catch (HttpRequestException)
        {
            // The crash may win the race with the answer; the exit below is what this test is about.
        }
        var exited = await recorder.WaitForAsync(s => s.State == ServerProcessState.Exited);

        exited.LastExit!.ExitCode.Should().Be(7);
        exited.LastExit.Signal.Should().BeNull();
        exited.LastError.Should().Contain("exit code 7");
        harness.Supervisor.GetLog("flaky")!.Tail(100).Select(l => l.Text).Should().Contain("crashing with 7");
        await harness.Supervisor.EnsureRunningAsync("flaky", CancellationToken.None).DefaultTimeout();
        var firstPid = (await recorder.WaitForAsync(s => s.State == ServerProcessState.Running)).ProcessId;
        (await recorder.WaitForAsync(s => s.State == ServerProcessState.Running && s.Restarts == 1)).ProcessId.Should().NotBe(firstPid);
    }

    [Fact]
    public async Task RestartAsync_CrashLoopCircuitOpen_ClosesCircuitAndTriesAgain()
    {
        await using var harness = SupervisorHarness.Create(
            output,
            [SupervisorHarness.Dummy("crash", "exit", "--code", "1")],
            options =>
            {
                options.CrashLoopFailureThreshold = 2;
                options.CrashLoopBreakDuration = TimeSpan.FromMinutes(5);
            });
        for (var i = 0; i < 2; i++)
        {
            var failing = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None);
            await failing.Should().ThrowAsync<ServerUnavailableException>();
        }
        var rejected = async () => await harness.Supervisor.EnsureRunningAsync("crash", CancellationToken.None);
        (await rejected.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.CrashLoop);

        var restart = async () => await harness.Supervisor.RestartAsync("crash", CancellationToken.None);

        (await restart.Should().ThrowAsync<ServerUnavailableException>()).Which.Reason.Should().Be(ServerUnavailableReason.ExitedWhileStarting);
    }
}
