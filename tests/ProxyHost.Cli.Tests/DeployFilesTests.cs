using System.Text.Json;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary>
/// The command lines of docs/deploy.md's files, run with the real CLI: the systemd unit's ExecStart, the
/// Dockerfile's ENTRYPOINT and the Helm values' cmd. Paths become the test's folder and fixed ports a free
/// one (and the container's 0.0.0.0 loopback, as tests listen on loopback only); every flag stays as written.
/// </summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SystemdUnit_ExecStart_Serves()
    {
        var unit = await File.ReadAllLinesAsync(RepositoryRoot.Combine("examples", "deploy", "proxyhost.service"));
        var words = unit.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal))["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        words[0].Should().Be("%h/.dotnet/tools/proxyhost", "dotnet tool install --global puts the tool there");
        var home = _directory.Path;
        Directory.CreateDirectory(Path.Combine(home, ".config", "proxyhost"));
        await File.WriteAllTextAsync(Path.Combine(home, ".config", "proxyhost", "proxyhost.json"), """{"servers": {}}""");
        var tokenFile = Path.Combine(home, ".config", "proxyhost", "token");
        await File.WriteAllTextAsync(tokenFile, "unit-token\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var url = await ServeAsync([.. words.Skip(1).Select(w => w.Replace("%h", home, StringComparison.Ordinal)).Select(FreePort)], new Dictionary<string, string>());

        url.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/\?token=unit-token$");
    }

    [Fact]
    public async Task Dockerfile_Entrypoint_Serves()
    {
        var dockerfile = await File.ReadAllLinesAsync(RepositoryRoot.Combine("Dockerfile"));
        var entrypoint = JsonSerializer.Deserialize<string[]>(dockerfile.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        entrypoint[0].Should().Be("/opt/proxyhost/proxyhost", "the build stage publishes to /app, copied to /opt/proxyhost");
        dockerfile.Should().Contain(l => l.Contains("dotnet publish src/ProxyHost.Cli -c Release --use-current-runtime -o /app", StringComparison.Ordinal));
        var config = WriteConfig(new { servers = new { } });

        var url = await ServeAsync(
            [.. entrypoint.Skip(1).Select(w => w.Replace("/etc/proxyhost/proxyhost.json", config, StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Select(FreePort)],
            new Dictionary<string, string> { ["PROXYHOST_TOKEN"] = "image-token" });

        url.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/\?token=image-token$");
    }

    [Fact]
    public async Task HelmValues_SingleUserCmd_ServesUnderTheHubsPrefix()
    {
        var values = await File.ReadAllLinesAsync(RepositoryRoot.Combine("examples", "deploy", "z2jh-values.yaml"));
        var cmd = values.SkipWhile(l => l.Trim() != "cmd:").Skip(1).TakeWhile(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)).Select(l => l.Trim()[2..]).ToList();
        cmd.Should().HaveCountGreaterThan(1);
        var config = WriteConfig(new { servers = new { } });
        var hub = new Dictionary<string, string>
        {
            ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ana/",
            ["JUPYTERHUB_SERVICE_URL"] = "http://127.0.0.1:0/user/ana/",
            ["PROXYHOST_TOKEN"] = "hub-made-token",
        };

        var url = await ServeAsync([.. cmd.Skip(1).Select(w => w.Replace("/etc/proxyhost/proxyhost.json", config, StringComparison.Ordinal))], hub);

        url.Should().MatchRegex(@"^http://127\.0\.0\.1:\d+/user/ana/\?token=hub-made-token$");
    }

    private static string FreePort(string word) => word == "8888" ? "0" : word;

    // Starts serve, reads its URL, checks it answers with its token, and stops it with SIGTERM (exit 0).
    private async Task<string> ServeAsync(string[] arguments, Dictionary<string, string> environment)
    {
        using var serve = StartServe(environment, arguments);
        var url = await ReadListeningUrlAsync(serve);
        using var client = new HttpClient();
        (await client.GetAsync(url.Replace("?token=", "api/status?token=", StringComparison.Ordinal)).DefaultTimeout()).IsSuccessStatusCode.Should().BeTrue();
        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();
        serve.ExitCode.Should().Be(0);
        return url;
    }
}
