using System.Net.Http.Headers;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary>docs/servers.md's "no orphans" claim with a real double-forking daemon and with a SIGKILL of <c>proxyhost serve</c>.</summary>
public sealed partial class ServeProcessTests
{
    private const int Sigkill = 9;
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, string> _serveEnvironment = [];

    [Fact]
    public async Task Serve_ServerWithRealDaemon_StopsTheDaemonOnSigterm()
    {
        var pidFile = Path.Combine(_directory.Path, "daemon.pid");
        var config = WriteConfig(new { servers = new { app = new { command = DummyProgram.Argv("http", "--port", "<port>", "--daemon", pidFile) } } });
        UsePrivateState();
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token");
        using var client = ClientFor(await ReadListeningUrlAsync(serve));
        (await client.GetStringAsync("app/").DefaultTimeout()).Should().Contain("dummy ok");
        var daemon = (await ProcessChecks.ReadPidFileAsync(pidFile, 1))[0];
        ProcessChecks.IsAlive(daemon).Should().BeTrue();

        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().Be(0);
        (await ProcessChecks.WaitForExitAsync(daemon, ExitBound)).Should().BeTrue("a daemon that left its server's process group must not outlive proxyhost serve");
    }

    [Fact]
    public async Task Serve_Sigkilled_ServersDieAndTheNextStartCleansUpDaemonsSocketsAndRecords()
    {
        var appDaemonFile = Path.Combine(_directory.Path, "app-daemon.pid");
        var socketDaemonFile = Path.Combine(_directory.Path, "socket-daemon.pid");
        var config = WriteConfig(new
        {
            servers = new Dictionary<string, object>
            {
                ["app"] = new { command = DummyProgram.Argv("http", "--port", "<port>", "--daemon", appDaemonFile) },
                ["sock"] = new { command = DummyProgram.Argv("http", "--unix-socket", "<unix_socket>", "--daemon", socketDaemonFile), unix_socket = true },
            },
        });
        var runs = UsePrivateState("runs");
        using var crashed = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token");
        int[] leaders;
        string socketFolder;
        using (var client = ClientFor(await ReadListeningUrlAsync(crashed)))
        {
            leaders = [int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout()), int.Parse(await client.GetStringAsync("sock/pid").DefaultTimeout())];
            var argv = JsonSerializer.Deserialize<string[]>(await client.GetStringAsync("sock/argv").DefaultTimeout())!;
            socketFolder = Path.GetDirectoryName(argv[Array.IndexOf(argv, "--unix-socket") + 1])!;
        }
        int[] daemons = [(await ProcessChecks.ReadPidFileAsync(appDaemonFile, 1))[0], (await ProcessChecks.ReadPidFileAsync(socketDaemonFile, 1))[0]];
        Directory.Exists(socketFolder).Should().BeTrue();

        Signal(crashed.Id, Sigkill);
        await crashed.WaitForExitAsync().DefaultTimeout();

        foreach (var leader in leaders)
        {
            (await ProcessChecks.WaitForExitAsync(leader, ExitBound)).Should().BeTrue($"server process {leader} gets the parent-death signal");
        }
        daemons.Should().OnlyContain(d => ProcessChecks.IsAlive(d), "a daemon is no child of ProxyHost's, so only the next start can stop it");
        Directory.GetFiles(runs, "*.json").Should().ContainSingle("the killed serve had recorded what it started");

        using var next = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token");
        await ReadListeningUrlAsync(next);

        foreach (var daemon in daemons)
        {
            (await ProcessChecks.WaitForExitAsync(daemon, ExitBound)).Should().BeTrue($"daemon {daemon} of the crashed run is stopped at the next start");
        }
        Directory.Exists(socketFolder).Should().BeFalse("the crashed run's socket folder is removed");
        Directory.GetFiles(runs).Should().BeEmpty("the crashed run's record is removed");
        Signal(next.Id, Sigterm);
        await next.WaitForExitAsync().DefaultTimeout();
        next.ExitCode.Should().Be(0);
    }

    /// <summary>Gives serve a private state folder of its own; returns its <paramref name="segment"/> subfolder.</summary>
    private string UsePrivateState(string segment = "")
    {
        var state = Path.Combine(_directory.Path, "state");
        _serveEnvironment[PrivateState.OverrideVariable] = state;
        return Path.Combine(state, segment);
    }

    private static HttpClient ClientFor(string url)
    {
        var client = new HttpClient { BaseAddress = new Uri(url.Split('?')[0]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "secret-token");
        return client;
    }
}
