using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Logs;
using ProxyHost.Supervision.Processes;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>Another process on a server's port or socket is never taken for the server.</summary>
public sealed class PortSquatterTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("::")]
    public async Task EnsureRunningAsync_FixedPortAlreadyListenedOn_FailsAtOnceNamingThePortWithoutStartingTheProcess(string squatterAddress)
    {
        using var squatter = Listen(IPAddress.Parse(squatterAddress));
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var definition = SupervisorHarness.Dummy("lab", "never-listen") with { Port = port, Timeout = TimeSpan.FromMinutes(2) };
        await using var harness = SupervisorHarness.Create(output, definition);
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");
        var watch = Stopwatch.StartNew();

        var act = async () => await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the start fails at once, not after the server's 2 min timeout");
        error.Reason.Should().Be(ServerUnavailableReason.EndpointInUse);
        error.Message.Should().Be($"port {port} is already in use by another process; ProxyHost did not start 'lab'");
        var snapshot = harness.Supervisor.GetSnapshot("lab")!;
        snapshot.State.Should().Be(ServerProcessState.Failed);
        snapshot.LastError.Should().Be(error.Message);
        recorder.Seen.Should().OnlyContain(s => s.ProcessId == null, "no process was started");
        harness.Supervisor.GetLog("lab")!.Tail(100).Should().NotContain(l => l.Text.StartsWith("started process", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureRunningAsync_FixedPortFreedAfterItsServerExited_StartsAgain()
    {
        // The port's last server leaves TIME_WAIT connections behind; they are not a squatter.
        var port = new PortAllocator().AllocatePort();
        var definition = SupervisorHarness.Dummy("lab", "http", "--port", "<port>") with { Port = port };
        await using var harness = SupervisorHarness.Create(output, definition);
        var first = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        await BackendClient.GetStringAsync(first.Endpoint, "/");

        var second = await harness.Supervisor.RestartAsync("lab", CancellationToken.None).DefaultTimeout();

        (await BackendClient.GetStringAsync(second.Endpoint, "/")).Should().Be("dummy ok");
    }

    [Fact]
    public async Task EnsureRunningAsync_AnotherProcessStartsListeningOnThePortAfterTheCheck_FailsInsteadOfBecomingRunning()
    {
        var port = new PortAllocator().AllocatePort();
        var definition = SupervisorHarness.Dummy("lab", "never-listen") with { Port = port, Timeout = TimeSpan.FromMinutes(2) };
        await using var harness = SupervisorHarness.Create(output, definition);
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");

        var starting = harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).AsTask();
        var serverPid = (await recorder.WaitForAsync(s => s.ProcessId is not null)).ProcessId!.Value;
        await using var squatter = await StartSquatterAsync(ServerEndpoint.Tcp(port), "--port", port.ToString(CultureInfo.InvariantCulture));

        var error = (await FluentActions.Awaiting(() => starting.DefaultTimeout()).Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.EndpointInUse);
        error.Message.Should().Be($"port {port} is answered by a process ProxyHost did not start; 'lab' was stopped");
        (await ProcessChecks.WaitForExitAsync(serverPid)).Should().BeTrue("the server's process is stopped");
        harness.Supervisor.GetSnapshot("lab")!.State.Should().Be(ServerProcessState.Failed);
        recorder.Seen.Should().NotContain(s => s.State == ServerProcessState.Running);
    }

    [Fact]
    public async Task EnsureRunningAsync_ListenerHeldByAChildOfTheStartedProcess_BecomesRunning()
    {
        // The shell forks the dummy (a command follows it), so the listening socket is the child's.
        var definition = new ServerProcessDefinition
        {
            Name = "lab",
            Command = ["/bin/sh", "-c", "\"$0\" \"$@\"; exit 0", .. DummyProgram.Argv("http", "--port", "<port>")],
            Timeout = TimeSpan.FromSeconds(20),
        };
        await using var harness = SupervisorHarness.Create(output, definition);

        var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        (await BackendClient.GetPidAsync(active.Endpoint)).Should().NotBe(harness.Supervisor.GetSnapshot("lab")!.ProcessId, "a child answers");
    }

    [Fact]
    public async Task EnsureRunningAsync_AnotherProcessListensOnTheFixedUnixSocket_FailsInsteadOfBecomingRunning()
    {
        using var directory = new TempDirectory("proxyhost-squat-");
        var path = Path.Combine(directory.Path, "socket");
        await using var squatter = await StartSquatterAsync(ServerEndpoint.UnixSocket(path), "--unix-socket", path);
        var definition = SupervisorHarness.Dummy("lab", "never-listen") with { UnixSocket = UnixSocketSetting.AtPath(path), Timeout = TimeSpan.FromMinutes(2) };
        await using var harness = SupervisorHarness.Create(output, definition);
        await using var recorder = await SnapshotRecorder.StartAsync(harness.Supervisor, "lab");

        var act = async () => await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        var error = (await act.Should().ThrowAsync<ServerUnavailableException>()).Which;
        error.Reason.Should().Be(ServerUnavailableReason.EndpointInUse);
        error.Message.Should().Be($"unix socket {path} is answered by a process ProxyHost did not start; 'lab' was stopped");
        recorder.Seen.Should().NotContain(s => s.State == ServerProcessState.Running);
    }

    private static TcpListener Listen(IPAddress address)
    {
        var listener = address.Equals(IPAddress.IPv6Any) ? TcpListener.Create(0) : new TcpListener(address, 0);
        listener.Start();
        return listener;
    }

    /// <summary>A real HTTP server that ProxyHost did not start (the dummy, run by the test).</summary>
    private static async Task<RunningProcess> StartSquatterAsync(ServerEndpoint endpoint, params string[] listenArguments)
    {
        var squatter = new ProcessRunner().Start(ProcessCommand.FromArgv(DummyProgram.Argv(["http", .. listenArguments])));
        await BackendClient.WaitUntilReadyAsync(endpoint).DefaultTimeout();
        return squatter;
    }
}
