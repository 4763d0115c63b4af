using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxyHost.Hosting;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>
/// Plugins: the example plugin's server and service arrive; a broken DLL is skipped with a warning naming it; a
/// package is unpacked into the private state folder and checked against the package before it is loaded.
/// </summary>
public sealed class PluginTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _plugins = new("proxyhost-plugins-");

    public void Dispose() => _plugins.Dispose();

    [Fact]
    public async Task PluginsFolder_ExamplePluginContributesServerAndServiceBrokenDllIsSkippedWithWarning()
    {
        foreach (var file in new[] { "HelloPlugin.dll", "HelloPlugin.deps.json" })
        {
            File.Copy(Path.Combine(ExamplePluginOutput(), file), Path.Combine(_plugins.Path, file));
        }
        await File.WriteAllTextAsync(Path.Combine(_plugins.Path, "broken.dll"), "not an assembly");
        var warning = new LogEventSignal(HostingEventIds.PluginWarning);

        await using var host = await TestProxyHost.StartAsync(output: output, logSignal: warning,
            configureOptions: o => o.PluginDirectories = [_plugins.Path]);
        using var client = host.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("server-proxy/servers-info"))!;

        var server = info["server_processes"]!.AsArray().Single()!;
        server["name"]!.GetValue<string>().Should().Be("hello-plugin");
        server["launcher_entry"]!["title"]!.GetValue<string>().Should().Be("Hello (from a plugin)");
        host.App.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).Should().Contain("HelloPluginService");
        (await warning.Logged.DefaultTimeout()).Should().Contain("broken.dll").And.Contain("skipped");
    }

    [Fact]
    public async Task PluginsFolder_NuGetPackage_IsUnpackedAndLoaded()
    {
        await WritePackageAsync();
        await File.WriteAllTextAsync(Path.Combine(_plugins.Path, "Broken.1.0.0.nupkg"), "not a zip");
        var warning = new LogEventSignal(HostingEventIds.PluginWarning);

        await using var host = await TestProxyHost.StartAsync(output: output, logSignal: warning,
            configureOptions: o => o.PluginDirectories = [_plugins.Path]);

        (await ServerNamesAsync(host)).Should().Equal("hello-plugin");
        (await warning.Logged.DefaultTimeout()).Should().Contain("Broken.1.0.0.nupkg").And.Contain("skipped");
    }

    [Fact]
    public async Task PluginsFolder_NuGetPackage_DllPlantedInTheOldSharedTempCache_IsNeverLoaded()
    {
        var package = await WritePackageAsync();
        // Where ProxyHost used to unpack packages: a predictable name under the shared temp folder.
        var planted = Path.Combine(Path.GetTempPath(), "proxyhost-plugin-packages", $"HelloPlugin-{PackageHash(package)}");
        Directory.CreateDirectory(planted);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(planted, "HelloPlugin.dll"), "planted by another user");
            var warning = new LogEventSignal(HostingEventIds.PluginWarning);

            await using var host = await TestProxyHost.StartAsync(output: output, logSignal: warning,
                configureOptions: o => o.PluginDirectories = [_plugins.Path]);

            (await ServerNamesAsync(host)).Should().Equal("hello-plugin");
            (warning.Logged.IsCompleted ? await warning.Logged : null).Should().BeNull("the package itself is fine");
        }
        finally
        {
            Directory.Delete(planted, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task PluginsFolder_NuGetPackage_IsUnpackedPrivately_AndAChangedCopyIsUnpackedAgainBeforeLoading()
    {
        var package = await WritePackageAsync();
        var unpacked = Path.Combine(PrivateState.Root, "plugins", $"HelloPlugin-{PackageHash(package)}");
        await using (var first = await TestProxyHost.StartAsync(output: output, configureOptions: o => o.PluginDirectories = [_plugins.Path]))
        {
            (await ServerNamesAsync(first)).Should().Equal("hello-plugin");
        }
        File.GetUnixFileMode(Path.GetDirectoryName(unpacked)!).Should().Be(OwnerOnly);
        File.GetUnixFileMode(unpacked).Should().Be(OwnerOnly);

        // Replaced, not overwritten in place: this process still has the first copy mapped.
        File.Delete(Path.Combine(unpacked, "HelloPlugin.dll"));
        await File.WriteAllTextAsync(Path.Combine(unpacked, "HelloPlugin.dll"), "planted");
        await File.WriteAllTextAsync(Path.Combine(unpacked, "Extra.dll"), "planted dependency");
        var warning = new LogEventSignal(HostingEventIds.PluginWarning);
        await using var second = await TestProxyHost.StartAsync(output: output, logSignal: warning,
            configureOptions: o => o.PluginDirectories = [_plugins.Path]);

        (await ServerNamesAsync(second)).Should().Equal("hello-plugin");
        (await warning.Logged.DefaultTimeout()).Should().Contain(unpacked).And.Contain("does not match the package");
        Directory.GetFiles(unpacked).Select(Path.GetFileName).Should().Equal("HelloPlugin.dll");
        (await File.ReadAllBytesAsync(Path.Combine(unpacked, "HelloPlugin.dll")))
            .Should().Equal(await File.ReadAllBytesAsync(Path.Combine(ExamplePluginOutput(), "HelloPlugin.dll")));
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static async Task<IEnumerable<string>> ServerNamesAsync(TestProxyHost host)
    {
        using var client = host.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("server-proxy/servers-info"))!;
        return info["server_processes"]!.AsArray().Select(s => s!["name"]!.GetValue<string>());
    }

    private async Task<string> WritePackageAsync()
    {
        var package = Path.Combine(_plugins.Path, "HelloPlugin.1.0.0.nupkg");
        using (var archive = ZipFile.Open(package, ZipArchiveMode.Create))
        {
            var nuspec = archive.CreateEntry("HelloPlugin.nuspec");
            await using (var writer = new StreamWriter(nuspec.Open()))
            {
                await writer.WriteAsync("""
                    <?xml version="1.0" encoding="utf-8"?>
                    <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                      <metadata><id>HelloPlugin</id><version>1.0.0</version><authors>t</authors><description>d</description></metadata>
                    </package>
                    """);
            }
            archive.CreateEntryFromFile(Path.Combine(ExamplePluginOutput(), "HelloPlugin.dll"), "lib/net10.0/HelloPlugin.dll");
        }
        return package;
    }

    private static string PackageHash(string package) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(package)))[..16];

    private static string ExamplePluginOutput()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ProxyHost.sln")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory!.FullName, "examples", "hello-plugin", "bin", configuration, "net10.0");
    }
}
