using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>Plugins: the example plugin's server and service arrive; a broken DLL is skipped with a warning naming it.</summary>
public sealed class PluginTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _plugins = Directory.CreateTempSubdirectory("proxyhost-plugins-");

    public void Dispose() => _plugins.Delete(recursive: true);

    [Fact]
    public async Task PluginsFolder_ExamplePluginContributesServerAndServiceBrokenDllIsSkippedWithWarning()
    {
        foreach (var file in new[] { "HelloPlugin.dll", "HelloPlugin.deps.json" })
        {
            File.Copy(Path.Combine(ExamplePluginOutput(), file), Path.Combine(_plugins.FullName, file));
        }
        await File.WriteAllTextAsync(Path.Combine(_plugins.FullName, "broken.dll"), "not an assembly");
        var warning = new LogEventSignal(400);

        await using var host = await TestProxyHost.StartAsync(output: output, logSignal: warning,
            configureOptions: o => o.PluginDirectories = [_plugins.FullName]);
        using var client = host.CreateClient();
        var info = JsonNode.Parse(await client.GetStringAsync("server-proxy/servers-info"))!;

        var server = info["server_processes"]!.AsArray().Single()!;
        server["name"]!.GetValue<string>().Should().Be("hello-plugin");
        server["launcher_entry"]!["title"]!.GetValue<string>().Should().Be("Hello (from a plugin)");
        host.App.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).Should().Contain("HelloPluginService");
        (await warning.Logged.DefaultTimeout()).Should().Contain("broken.dll").And.Contain("skipped");
    }

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
