using System.Diagnostics;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>proxyhost serve</c> as a JupyterHub single-user server: address, port and base URL from the spawner's variables.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_JupyterHubVariables_GiveBaseUrlAddressAndPortUnlessGivenOnTheCommandLine()
    {
        var config = WriteConfig(new { servers = new { } });
        var hub = new Dictionary<string, string>
        {
            ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ana/",
            ["JUPYTERHUB_SERVICE_URL"] = "http://127.0.0.1:0/user/ana/",
        };
        using var fromHub = StartServeWithEnvironment(hub, "serve", "--config", config, "--token", "t");
        using var overridden = StartServeWithEnvironment(hub, "serve", "--config", config, "--token", "t", "--base-url", "/mine/");

        var hubUrl = await ReadListeningUrlAsync(fromHub);
        var overriddenUrl = await ReadListeningUrlAsync(overridden);

        hubUrl.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/user/ana/\?token=t$");
        overriddenUrl.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/mine/\?token=t$");
        foreach (var serve in new[] { fromHub, overridden })
        {
            Signal(serve.Id, Sigterm);
            await serve.WaitForExitAsync().DefaultTimeout();
        }
    }

    private Process StartServeWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DummyProgram.DotNetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory.FullName,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "proxyhost.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("PROXYHOST_TOKEN");
        start.Environment.Remove("PROXYHOST_CONFIG");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start)!;
    }
}
