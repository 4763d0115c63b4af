using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary>The real <c>proxyhost serve</c> process, as a user runs it.</summary>
public sealed partial class ServeProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new("proxyhost-serve-");

    /// <summary>
    /// Every serve a test started, as objects of their own (the tests dispose theirs); one that a failed
    /// assertion left running is killed with its tree.
    /// </summary>
    private readonly List<Process> _started = [];

    /// <summary>Each serve process keeps its private state here, not in the user's.</summary>
    private string StateDirectory => Path.Combine(_directory.Path, "state");

    public void Dispose()
    {
        foreach (var serve in _started)
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                serve.WaitForExit(TestTimeouts.Default);
            }
            serve.Dispose();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task Serve_PrintsUrlProxiesAndStopsChildrenOnSigterm()
    {
        var pidFile = Path.Combine(_directory.Path, "tree.pid");
        var config = WriteConfig(new { servers = new { app = new { command = DummyProgram.Argv("http", "--port", "<port>", "--spawn-child", pidFile) } } });
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "secret-token");

        var url = await ReadListeningUrlAsync(serve);
        url.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/\?token=secret-token$");
        using var client = new HttpClient { BaseAddress = new Uri(url.Split('?')[0]) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "secret-token");
        (await client.GetStringAsync("app/").DefaultTimeout()).Should().Contain("dummy ok");
        var pids = await ProcessChecks.ReadPidFileAsync(pidFile, 2);

        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().Be(0);
        foreach (var pid in pids)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} must not outlive proxyhost serve");
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_RecordsItsStartupProfile_InThePrivateStateFolder_ForTheNextStart()
    {
        var config = WriteConfig(new { servers = new { } });
        var profile = Path.Combine(StateDirectory, "jit", ProxyHost.Cli.Commands.StartupProfile.FileName);
        for (var run = 0; run < 2; run++)
        {
            using var serve = StartServe("serve", "--port", "0", "--config", config, "--no-token");
            var url = await ReadListeningUrlAsync(serve);
            using var client = new HttpClient();
            (await client.GetAsync(url + "api/servers").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);

            Signal(serve.Id, Sigterm);
            await serve.WaitForExitAsync().DefaultTimeout();

            serve.ExitCode.Should().Be(0, "a serve that starts from the last one's profile runs as one without it");
            new FileInfo(profile).Length.Should().BeGreaterThan(1000, "the methods this serve compiled are recorded when it exits");
            File.GetUnixFileMode(Path.GetDirectoryName(profile)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public async Task Serve_WithoutToken_GeneratesOneAndRequiresIt()
    {
        var config = WriteConfig(new { servers = new { } });
        using var serve = StartServe("serve", "--port", "0", "--config", config);

        var url = await ReadListeningUrlAsync(serve);
        var token = TokenPattern().Match(url).Groups[1].Value;
        token.Should().HaveLength(48);
        using var client = new HttpClient { BaseAddress = new Uri(url.Split('?')[0]) };
        (await client.GetAsync("").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.GetAsync("").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);

        Signal(serve.Id, Sigint);
        await serve.WaitForExitAsync().DefaultTimeout();
        serve.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Serve_InvalidConfig_ExitsWithLocatedErrorsAndNoStackTrace()
    {
        var config = WriteConfig(new { servers = new { lab = new { command = new[] { "x", "<prot>" }, timeout = "soon" } } });
        using var serve = StartServe("serve", "--port", "0", "--config", config);

        var stderr = await serve.StandardError.ReadToEndAsync().DefaultTimeout();
        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().Be(ExitCodes.InvalidConfig);
        stderr.Should().Contain($"{config}: servers.lab.command[1]: unknown placeholder '<prot>'")
            .And.Contain($"{config}: servers.lab.timeout: expected a number of seconds");
        stderr.Should().NotContain("   at ");
    }

    [Fact]
    public async Task Serve_PortInUse_SaysSoInOneLine()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var serve = StartServe("serve", "--port", port.ToString(), "--config", WriteConfig(new { servers = new { } }));

        var stderr = await serve.StandardError.ReadToEndAsync().DefaultTimeout();
        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        stderr.Trim().Should().Be($"proxyhost: error: cannot listen on 127.0.0.1:{port}: the address is already in use (choose another --port, or --port 0 for a free one)");
    }

    private string WriteConfig(object config)
    {
        var path = Path.Combine(_directory.Path, "proxyhost.json");
        File.WriteAllText(path, JsonSerializer.Serialize(config));
        return path;
    }

    // Each serve keeps its private state in the test's folder, never in the runner's own state folder.
    private Process StartServe(params string[] arguments) => StartServe(new Dictionary<string, string>(), arguments);

    private Process StartServe(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var serve = ProxyHostProcess.Start(_directory.Path, [new(PrivateState.OverrideVariable, StateDirectory), .. _serveEnvironment, .. environment], arguments);
        _started.Add(Process.GetProcessById(serve.Id));
        return serve;
    }

    private static Task<string> ReadListeningUrlAsync(Process serve) => ProxyHostProcess.ReadListeningUrlAsync(serve);

    private const int Sigint = 2;
    private const int Sigterm = 15;

    private static void Signal(int pid, int signal) => Kill(pid, signal).Should().Be(0);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [GeneratedRegex("token=([0-9a-f]+)")]
    private static partial Regex TokenPattern();
}
