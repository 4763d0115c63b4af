using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Processes;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner _runner = new();

    [Fact]
    public void Start_MissingProgram_ThrowsLaunchExceptionNamingCommand()
    {
        var start = () => _runner.Start(new ProcessCommand("proxyhost-no-such-program"));

        start.Should().Throw<ProcessLaunchException>()
            .Where(e => e.Command == "proxyhost-no-such-program")
            .WithMessage("*'proxyhost-no-such-program'*not found on PATH*");
    }

    [Fact]
    public void Start_FileNotExecutable_ThrowsWithChmodHint()
    {
        var path = Path.GetTempFileName();
        try
        {
            var start = () => _runner.Start(new ProcessCommand(path));

            start.Should().Throw<ProcessLaunchException>().WithMessage("*not executable*chmod +x*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Start_ProcessPrintsAndExits_DeliversLinesAndExitCode()
    {
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("exit", "--code", "3", "--print", "2")), lines.Enqueue);

        var exit = await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        exit.ExitCode.Should().Be(3);
        exit.Signal.Should().BeNull();
        lines.Where(l => !l.IsStandardError).Select(l => l.Text).Should().Equal("line 1", "line 2");
        lines.Where(l => l.IsStandardError).Select(l => l.Text).Should().Equal("exiting with 3");
    }

    [Fact]
    public async Task Start_WithEnvironment_AddsAndRemovesVariables()
    {
        Environment.SetEnvironmentVariable("PROXYHOST_TEST_INHERITED", "inherited");
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        var command = new ProcessCommand("env")
            .WithEnvironment("PROXYHOST_TEST_ADDED", "added value")
            .WithEnvironment("PROXYHOST_TEST_INHERITED", null);
        await using var process = _runner.Start(command, lines.Enqueue);

        await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        lines.Select(l => l.Text).Should().Contain("PROXYHOST_TEST_ADDED=added value")
            .And.NotContain(l => l.StartsWith("PROXYHOST_TEST_INHERITED=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ArgumentsWithSpacesQuotesAndBackslashes_ReachTheProgramVerbatim()
    {
        string[] arguments = ["a b", "", "\"quoted\"", "it's", "back\\slash\\", "trailing\\", "tab\there", "ünïcødé", "$HOME", "*"];
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(new ProcessCommand("sh").WithArguments(["-c", "for a; do printf '[%s]\\n' \"$a\"; done", "sh", .. arguments]), lines.Enqueue);

        await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        lines.Select(l => l.Text).Should().Equal(arguments.Select(a => $"[{a}]"));
    }

    [Fact]
    public async Task Start_ProgramReadsStandardInput_GetsEndOfFileAtOnce()
    {
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(new ProcessCommand("sh").WithArguments(["-c", "cat; echo end of input"]), lines.Enqueue);

        var exit = await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        exit.ExitCode.Should().Be(0);
        lines.Select(l => l.Text).Should().Equal("end of input");
    }

    [Fact]
    public async Task Start_WithWorkingDirectory_RunsThere()
    {
        using var directory = new TempDirectory();
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(new ProcessCommand("pwd").WithWorkingDirectory(directory.Path), lines.Enqueue);

        await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        lines.Select(l => l.Text).Should().Equal(directory.Path);
    }

    [Fact]
    public void Start_WorkingDirectoryMissing_ThrowsLaunchExceptionNamingTheCause()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"proxyhost-missing-{Guid.NewGuid():N}");

        var start = () => _runner.Start(new ProcessCommand("sh").WithWorkingDirectory(missing));

        start.Should().Throw<ProcessLaunchException>()
            .Where(e => e.Command == "sh")
            .WithMessage($"could not start 'sh': *{missing}*No such file or directory*");
    }

    [Fact]
    public async Task Start_ManyQuickExits_EachReportsItsOwnExitCode()
    {
        // The exit code is read from the runtime's process object, which CliWrap disposes once the output is drained.
        var processes = Enumerable.Range(0, 20)
            .Select(i => _runner.Start(new ProcessCommand("sh").WithArguments(["-c", $"exit {i + 1}"])))
            .ToList();
        try
        {
            var exits = await Task.WhenAll(processes.Select(p => p.Exited)).DefaultTimeout();

            exits.Select(e => e.ExitCode).Should().Equal(Enumerable.Range(1, 20));
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Start_Child_LeadsItsOwnSessionAndProcessGroup()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var process = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("never-listen")), _ => started.TrySetResult());
        await started.Task.DefaultTimeout();

        var stat = await File.ReadAllTextAsync($"/proc/{process.ProcessId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        _runner.UsesProcessGroups.Should().BeTrue();
        int.Parse(fields[2], CultureInfo.InvariantCulture).Should().Be(process.ProcessId, "the process group id is the child's pid");
        int.Parse(fields[3], CultureInfo.InvariantCulture).Should().Be(process.ProcessId, "the session id is the child's pid");
    }

    [Fact]
    public async Task StopAsync_ServerHandlesSigterm_ExitsGracefullyWithinGrace()
    {
        var port = new PortAllocator().AllocatePort();
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("http", "--port", port.ToString(CultureInfo.InvariantCulture))), lines.Enqueue);
        await BackendClient.WaitUntilReadyAsync(ServerEndpoint.Tcp(port)).DefaultTimeout();

        var watch = Stopwatch.StartNew();
        var exit = await process.StopAsync(TimeSpan.FromSeconds(20)).DefaultTimeout();

        exit.Signal.Should().BeNull("the dummy shuts down on SIGTERM");
        exit.ExitCode.Should().Be(0);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        ProcessChecks.IsAlive(process.ProcessId).Should().BeFalse();
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresSigterm_KilledAfterGracePeriod()
    {
        var port = new PortAllocator().AllocatePort();
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(
            ProcessCommand.FromArgv(DummyProgram.Argv("http", "--port", port.ToString(CultureInfo.InvariantCulture), "--ignore-sigterm")),
            lines.Enqueue);
        await BackendClient.WaitUntilReadyAsync(ServerEndpoint.Tcp(port)).DefaultTimeout();

        var watch = Stopwatch.StartNew();
        var exit = await process.StopAsync(TimeSpan.FromSeconds(1)).DefaultTimeout();

        exit.Signal.Should().Be(9);
        exit.ExitCode.Should().Be(137);
        watch.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9));
        lines.Select(l => l.Text).Should().Contain("ignoring SIGTERM");
    }

    [Fact]
    public async Task DisposeAsync_ProcessWithGrandchild_KillsTheWholeGroup()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"proxyhost-test-{Guid.NewGuid():N}.pid");
        var port = new PortAllocator().AllocatePort();
        var process = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("http", "--port", port.ToString(CultureInfo.InvariantCulture), "--spawn-child", pidFile)));
        var pids = await ProcessChecks.ReadPidFileAsync(pidFile, 2);
        File.Delete(pidFile);

        await process.DisposeAsync();

        foreach (var pid in pids)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} of the tree must be gone");
        }
    }

    [Fact]
    public async Task Start_FromAThreadThatThenExits_ServerOutlivesTheThread()
    {
        // The parent-death signal fires when the thread that forked the child exits, and pool threads retire.
        var port = new PortAllocator().AllocatePort();
        RunningProcess? started = null;
        string? task = null;
        var thread = new Thread(() =>
        {
            task = new DirectoryInfo("/proc/thread-self").LinkTarget;
            started = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("http", "--port", port.ToString(CultureInfo.InvariantCulture))));
        });
        thread.Start();
        thread.Join();
        await using var process = started!;
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (Directory.Exists("/proc/" + task) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Directory.Exists("/proc/" + task).Should().BeFalse("the starting thread has exited");

        await Task.WhenAny(BackendClient.WaitUntilReadyAsync(ServerEndpoint.Tcp(port)), process.Exited).DefaultTimeout();

        process.HasExited.Should().BeFalse("the server must not get the parent-death signal when its starting thread exits");
        ProcessChecks.IsAlive(process.ProcessId).Should().BeTrue();
    }

    [Fact]
    public async Task StopAsync_DaemonizedChildOutlivesLeader_IsKilledWithTheGroup()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"proxyhost-test-{Guid.NewGuid():N}.pid");
        await using var process = _runner.Start(ProcessCommand.FromArgv(DummyProgram.Argv("daemonize", pidFile)));
        var daemon = (await ProcessChecks.ReadPidFileAsync(pidFile, 1))[0];
        File.Delete(pidFile);
        await process.Exited.DefaultTimeout();
        ProcessChecks.IsAlive(daemon).Should().BeTrue("the daemon outlives its parent until the group is stopped");
        process.OutputCompleted.IsCompleted.Should().BeFalse("the daemon holds the inherited output pipes, yet the exit was reported");

        await process.StopAsync(TimeSpan.FromSeconds(5)).DefaultTimeout();

        (await ProcessChecks.WaitForExitAsync(daemon)).Should().BeTrue();
    }

    [Fact]
    public async Task Start_LongLines_AreSplitSoNothingGrowsUnbounded()
    {
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = _runner.Start(new ProcessCommand("sh").WithArguments(["-c", "head -c 20000 /dev/zero | tr '\\0' x"]), lines.Enqueue);

        await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        lines.Should().OnlyContain(l => l.Text.Length <= OutputLineReader.MaxLineLength);
        lines.Sum(l => l.Text.Length).Should().Be(20000);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(3, 3, null)]
    [InlineData(137, 137, 9)]
    [InlineData(143, 143, 15)]
    public void DecodeExit_ExitCode_DecodesSignal(int code, int expectedCode, int? expectedSignal)
    {
        var exit = RunningProcess.DecodeExit(code, DateTimeOffset.UnixEpoch);

        exit.ExitCode.Should().Be(expectedCode);
        exit.Signal.Should().Be(expectedSignal);
    }
}
