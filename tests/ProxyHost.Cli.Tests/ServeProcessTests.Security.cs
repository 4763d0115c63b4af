using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>serve</c>'s security options, in the real process.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_TokenFileReadableByOthers_UsesTheTrimmedTokenAndWarns()
    {
        var config = WriteConfig(new { servers = new { } });
        var tokenFile = Path.Combine(_directory.Path, "token");
        await File.WriteAllTextAsync(tokenFile, "  file-token-123\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token-file", tokenFile);

        var url = await ReadListeningUrlAsync(serve);
        using var client = new HttpClient { BaseAddress = new Uri(url.Split('?')[0]) };
        (await client.GetAsync("").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "file-token-123");
        (await client.GetAsync("").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        Signal(serve.Id, Sigint);
        var stderr = await serve.StandardError.ReadToEndAsync().DefaultTimeout();
        await serve.WaitForExitAsync().DefaultTimeout();

        url.Should().EndWith("?token=file-token-123");
        stderr.Should().Contain($"The token file {tokenFile} can be read by other users; restrict it with: chmod 600 {tokenFile}");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_InAFolderHoldingAnAppsettingsFile_IgnoresIt_AndWatchesNoFolderTreeThere()
    {
        int plantedPort;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            plantedPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        // What a project checkout or a shared folder could hold: ASP.NET reads it from the working directory by default.
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "appsettings.json"),
            $$"""{ "Kestrel": { "Endpoints": { "planted": { "Url": "http://127.0.0.1:{{plantedPort}}" } } } }""");
        for (var i = 0; i < 40; i++)
        {
            Directory.CreateDirectory(Path.Combine(_directory.Path, "tree", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        using var serve = StartServe("serve", "--port", "0", "--config", WriteConfig(new { servers = new { } }), "--no-token");

        var url = await ReadListeningUrlAsync(serve);

        using (var client = new HttpClient())
        {
            (await client.GetAsync(url + "api/servers").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        using (var planted = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            await planted.Invoking(s => s.ConnectAsync(IPAddress.Loopback, plantedPort)).Should().ThrowAsync<System.Net.Sockets.SocketException>("an appsettings.json in the working directory must not add a listener");
        }
        var inotifyWatches = Directory.EnumerateFiles($"/proc/{serve.Id}/fdinfo")
            .Sum(f => { try { return File.ReadLines(f).Count(l => l.StartsWith("inotify wd:", StringComparison.Ordinal)); } catch (IOException) { return 0; } });
        inotifyWatches.Should().BeLessThan(10, "only the config file is watched, not every folder below the working directory");
        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void TokenFile_PrivateFile_GivesNoWarning()
    {
        var tokenFile = Path.Combine(_directory.Path, "token");
        File.WriteAllText(tokenFile, "t0k3n\r\n");
        File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        TokenFile.Read(tokenFile, out var warning).Should().Be("t0k3n");
        warning.Should().BeNull();
    }

    [Theory]
    [InlineData("another user's", "belongs to user 65534")]
    [InlineData("group-writable", "group or others may write to it")]
    [InlineData("world-writable", "group or others may write to it")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_StateFolderOthersOwnOrMayWrite_ExitsWithOneLine(string kind, string message)
    {
        Directory.CreateDirectory(StateDirectory);
        switch (kind)
        {
            case "another user's":
                Chown(StateDirectory, 65534, 65534).Should().Be(0, "the tests run as root");
                break;
            case "group-writable":
                File.SetUnixFileMode(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
                break;
            default:
                File.SetUnixFileMode(StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
                break;
        }
        using var serve = StartServe("serve", "--port", "0", "--config", WriteConfig(new { servers = new { } }));
        var stderr = serve.StandardError.ReadToEndAsync();
        await serve.WaitForExitAsync().DefaultTimeout();

        serve.ExitCode.Should().NotBe(0);
        (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle()
            .Which.Should().StartWith($"proxyhost: error: refusing {StateDirectory}: ").And.Contain(message);
    }

    [Theory]
    [InlineData("--token-file {missing}", "--token-file: cannot read")]
    [InlineData("--token-file {empty}", "is empty")]
    [InlineData("--token-file {two}", "must hold one token")]
    [InlineData("--token-file {empty} --token x", "--token and --token-file cannot be used together")]
    [InlineData("--token-file {two} --no-token", "--no-token cannot be used with --token or --token-file")]
    [InlineData("--allow-origin evil.example", "--allow-origin: 'evil.example' is not an origin")]
    [InlineData("--allow-origin https://a.example/path", "--allow-origin: 'https://a.example/path' is not an origin")]
    [InlineData("--allow-host https://lab.example.org", "--allow-host: 'https://lab.example.org' is not a host")]
    [InlineData("--allow-host lab.example.org:8888", "--allow-host: 'lab.example.org:8888' is not a host")]
    [InlineData("--max-connections-per-client -1", "--max-connections-per-client: -1")]
    public async Task Serve_BadSecurityOption_OneLineAndNonZeroExit(string options, string message)
    {
        var empty = Path.Combine(_directory.Path, "empty");
        await File.WriteAllTextAsync(empty, " \n");
        var two = Path.Combine(_directory.Path, "two");
        await File.WriteAllTextAsync(two, "one two\n");
        var arguments = options
            .Replace("{missing}", Path.Combine(_directory.Path, "missing"), StringComparison.Ordinal)
            .Replace("{empty}", empty, StringComparison.Ordinal)
            .Replace("{two}", two, StringComparison.Ordinal)
            .Split(' ');

        var run = await CliRun.RunAsync(["serve", "--port", "0", "--config", Path.Combine(_directory.Path, "none.json"), .. arguments]);

        run.ExitCode.Should().NotBe(0);
        run.ErrorLines.Should().ContainSingle().Which.Should().Contain(message);
    }

    [Fact]
    public async Task ListAndServe_ConfigWithUnpairedSurrogate_LocatedErrorAndNonZeroExit()
    {
        var config = Path.Combine(_directory.Path, "bad.json");
        await File.WriteAllTextAsync(config, """{"servers": {"a": {"command": ["x", "\ud800"]}}}""");

        var list = await CliRun.RunAsync("list", "--config", config);
        using var serve = StartServe("serve", "--port", "0", "--config", config);
        var stderr = await serve.StandardError.ReadToEndAsync().DefaultTimeout();
        await serve.WaitForExitAsync().DefaultTimeout();

        list.ExitCode.Should().Be(ExitCodes.InvalidConfig);
        list.Error.Should().Contain($"{config}: servers.a.command[1]: a \\u escape").And.NotContain("   at ");
        serve.ExitCode.Should().Be(ExitCodes.InvalidConfig);
        stderr.Should().Contain("servers.a.command[1]").And.NotContain("   at ");
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, int owner, int group);
}
