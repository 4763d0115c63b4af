using System.Net;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class SupervisedServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FirstRequest_StartsProcessLazilyAndProxiesToIt()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);

        var response = await client.GetAsync("app/").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("dummy ok");
        var snapshot = host.Supervisor.GetSnapshot("app")!;
        snapshot.State.Should().Be(ServerProcessState.Running);
        ProcessChecks.IsAlive(snapshot.ProcessId!.Value).Should().BeTrue();
    }

    [Fact]
    public async Task ConcurrentFirstRequests_ShareOneProcess()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--delay-ms", "300")], output: output);
        using var client = host.CreateClient();

        var pids = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.GetStringAsync("app/pid"))).DefaultTimeout();

        pids.Distinct().Should().ContainSingle();
        host.Supervisor.GetSnapshot("app")!.Restarts.Should().Be(0);
    }

    [Fact]
    public async Task NeverReady_Answers503WithOutputAndStopsTheProcess()
    {
        var definition = Dummy("slow", "never-listen", "--print", "2") with { Timeout = TimeSpan.FromSeconds(1) };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("slow/").DefaultTimeout();
        var page = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        page.Should().Contain("slow is unavailable").And.Contain("never listening");
        var snapshot = host.Supervisor.GetSnapshot("slow")!;
        snapshot.State.Should().Be(ServerProcessState.Failed);
        snapshot.ProcessId.Should().BeNull();
    }

    [Fact]
    public async Task ExitWhileStarting_Answers503WithExitCode()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("bad", "exit", "--code", "3", "--print", "1")], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("bad/").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Contain("3").And.Contain("exiting with 3");
    }

    [Fact]
    public async Task KilledProcess_IsRestartedOnNextRequest()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        var firstPid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());
        var exited = WaitForStateAsync(host, "app", ServerProcessState.Exited);

        Process(firstPid).Kill();
        await exited.DefaultTimeout();
        var secondPid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());

        secondPid.Should().NotBe(firstPid);
        var snapshot = host.Supervisor.GetSnapshot("app")!;
        snapshot.Restarts.Should().Be(1);
        snapshot.LastExit!.Signal.Should().Be(9);
    }

    [Fact]
    public async Task CrashLoop_OpensCircuitAndAnswers503AtOnceWithRetryAfter()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("crashy", "exit", "--code", "1")], output: output, supervision: o =>
        {
            o.CrashLoopFailureThreshold = 2;
            o.RestartBackoffInitialDelay = TimeSpan.FromMilliseconds(20);
            o.CrashLoopBreakDuration = TimeSpan.FromMinutes(5);
        });
        using var client = host.CreateClient();

        (await client.GetAsync("crashy/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("crashy/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var pidBefore = host.Supervisor.GetSnapshot("crashy")!.Restarts;
        var refused = await client.GetAsync("crashy/").DefaultTimeout();

        refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter!.Delta!.Value.Should().BePositive();
        host.Supervisor.GetSnapshot("crashy")!.Restarts.Should().Be(pidBefore, "no start is tried while the circuit is open");
    }

    [Fact]
    public async Task UnixSocketServer_ServesHttpAndWebSocket()
    {
        var definition = Dummy("uds", "http", "--unix-socket", "<unix_socket>") with { UnixSocket = UnixSocketSetting.PrivateDirectory };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        (await client.GetStringAsync("uds/").DefaultTimeout()).Should().Contain("dummy ok");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + TestProxyHost.Token);
        await socket.ConnectAsync(host.WebSocketUri("uds/ws"), CancellationToken.None).DefaultTimeout();
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("ping");
        host.Supervisor.GetSnapshot("uds")!.Endpoint!.IsUnixSocket.Should().BeTrue();
    }

    [Fact]
    public async Task PythonHttpServer_IsStartedAndProxied()
    {
        using var directory = new TempDirectory("proxyhost-files-");
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "hello.txt"), "hello from http.server");
        var definition = new ServerProcessDefinition
        {
            Name = "files",
            Command = ["python3", "-m", "http.server", "<port>", "--bind", "127.0.0.1", "--directory", directory.Path],
            Timeout = TimeSpan.FromSeconds(20),
        };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();

        (await client.GetStringAsync("files/hello.txt").DefaultTimeout()).Should().Be("hello from http.server");
    }

    [Fact]
    public async Task ConfigFileEdits_AddChangeAndRemoveServersLive()
    {
        using var directory = new TempDirectory("proxyhost-config-");
        var configPath = Path.Combine(directory.Path, "proxyhost.json");
        await File.WriteAllTextAsync(configPath, Config(("one", 1)));
        await using var host = await TestProxyHost.StartAsync(configPath: configPath, output: output);
        using var client = host.CreateClient();
        var onePid = int.Parse(await client.GetStringAsync("one/pid").DefaultTimeout());
        (await client.GetAsync("two/")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await RewriteConfigAsync(host, configPath, Config(("one", 1), ("two", 2)));
        (await client.GetStringAsync("two/").DefaultTimeout()).Should().Contain("dummy ok");
        ProcessChecks.IsAlive(onePid).Should().BeTrue("an unchanged server keeps running");

        await RewriteConfigAsync(host, configPath, Config(("one", 3)));
        (await ProcessChecks.WaitForExitAsync(onePid)).Should().BeTrue("a changed server's old process is stopped");
        int.Parse(await client.GetStringAsync("one/pid").DefaultTimeout()).Should().NotBe(onePid);
        (await client.GetAsync("two/")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task InvalidConfigEdit_IsIgnoredAndServersKeepRunning()
    {
        using var directory = new TempDirectory("proxyhost-config-");
        var configPath = Path.Combine(directory.Path, "proxyhost.json");
        await File.WriteAllTextAsync(configPath, Config(("one", 1)));
        var rejected = new LogEventSignal(HostingEventIds.ConfigReloadRejected);
        await using var host = await TestProxyHost.StartAsync(configPath: configPath, output: output, logSignal: rejected);
        using var client = host.CreateClient();
        await client.GetStringAsync("one/").DefaultTimeout();

        await File.WriteAllTextAsync(configPath, """{"servers": {"one": {"command": ["x"], "timeout": "soon"}}}""");

        (await rejected.Logged.DefaultTimeout()).Should().Contain("servers.one.timeout");

        host.Catalog.Current.Servers.Single().Command.Should().Equal(DummyArgv("http", "--port", "<port>", "--print", "1"));
        (await client.GetStringAsync("one/").DefaultTimeout()).Should().Contain("dummy ok");
    }

    [Fact]
    public async Task HostShutdown_StopsProcessTreesWithGrandchildren()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"proxyhost-tree-{Guid.NewGuid():N}.pid");
        try
        {
            var host = await TestProxyHost.StartAsync([Dummy("tree", "http", "--port", "<port>", "--spawn-child", pidFile)], output: output);
            using var client = host.CreateClient();
            await client.GetStringAsync("tree/").DefaultTimeout();
            var pids = await ProcessChecks.ReadPidFileAsync(pidFile, 2);
            pids.Should().OnlyContain(pid => ProcessChecks.IsAlive(pid));

            await host.DisposeAsync();

            foreach (var pid in pids)
            {
                (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} must not outlive ProxyHost");
            }
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    private static async Task RewriteConfigAsync(TestProxyHost host, string path, string json)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = host.Catalog.GetChangeToken().RegisterChangeCallback(_ => changed.TrySetResult(), null);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, json);
        File.Move(temp, path, overwrite: true);
        await changed.Task.DefaultTimeout();
        await host.RoutesApplied.WaitForVersionAsync(host.Catalog.Current.Version).DefaultTimeout();
    }

    private static string Config(params (string Name, int Lines)[] servers) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            servers = servers.ToDictionary(s => s.Name, s => new { command = DummyArgv("http", "--port", "<port>", "--print", s.Lines.ToString()) }),
        });

    private static Task WaitForStateAsync(TestProxyHost host, string name, ServerProcessState state)
    {
        var cancellation = new CancellationTokenSource(TestTimeouts.Default);
        return Task.Run(async () =>
        {
            await foreach (var snapshot in host.Supervisor.WatchAsync(cancellation.Token))
            {
                if (snapshot.Name == name && snapshot.State == state)
                {
                    return;
                }
            }
        });
    }

    private static System.Diagnostics.Process Process(int pid) => System.Diagnostics.Process.GetProcessById(pid);

    private static string[] DummyArgv(params string[] arguments) => DummyProgram.Argv(arguments);

    private static ServerProcessDefinition Dummy(string name, params string[] arguments) =>
        new() { Name = name, Command = DummyArgv(arguments), Timeout = TimeSpan.FromSeconds(20) };
}
