using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Examples;

/// <summary>
/// examples/jupyter/proxyhost.json with Debian's real Jupyter Notebook, used through ProxyHost the way a
/// browser uses it. Jupyter serves the folder the tests run in; each test works in a folder of its own there.
/// </summary>
public sealed class JupyterExampleTests(ITestOutputHelper output)
{
    private static readonly string Config = RepositoryRoot.Combine("examples", "jupyter", "proxyhost.json");

    static JupyterExampleTests() => JupyterAsRoot.Allow();

    [Fact]
    public async Task Notebook_ThroughProxyHost_ServesPagesKernelsAndFiles_AndLeavesNoProcess()
    {
        using var folder = new NotebookFolder();
        var asset = RandomNumberGenerator.GetBytes(3 << 20);
        await File.WriteAllBytesAsync(Path.Combine(folder.Path, "data.bin"), asset);
        int[] processes;
        await using (var host = await TestProxyHost.StartAsync(configPath: Config, output: output))
        {
            using var client = host.CreateClient();

            var tree = await client.GetAsync("jupyter/tree").DefaultTimeout();
            tree.StatusCode.Should().Be(HttpStatusCode.OK);
            (await tree.Content.ReadAsStringAsync()).Should().Contain("<title>Home Page - Select or create a notebook</title>");
            var xsrf = tree.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("_xsrf=", StringComparison.Ordinal));

            using var create = new HttpRequestMessage(HttpMethod.Post, "jupyter/api/kernels") { Content = JsonContent.Create(new { name = "python3" }) };
            create.Headers.Add("Cookie", xsrf);
            create.Headers.Add("X-XSRFToken", xsrf["_xsrf=".Length..]);
            var created = await client.SendAsync(create).DefaultTimeout();
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var kernel = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;

            using (var channels = await JupyterKernelClient.ConnectAsync(host.WebSocketUri($"jupyter/api/kernels/{kernel}/channels?session_id={Guid.NewGuid():N}"), TestProxyHost.Token))
            {
                (await channels.ExecuteAsync("print(6*7)")).Should().Be("42\n");
                await Task.Delay(TimeSpan.FromSeconds(3));
                (await channels.ExecuteAsync("print(6*7)")).Should().Be("42\n", "the websocket still works after it idled");
            }

            // Jupyter serves files without its own auth only to requests from its pages, as a browser's are.
            using var file = new HttpRequestMessage(HttpMethod.Get, $"jupyter/files/{folder.Name}/data.bin");
            file.Headers.Referrer = new Uri(host.Address, "/jupyter/tree");
            var fetched = await client.SendAsync(file).DefaultTimeout();
            fetched.StatusCode.Should().Be(HttpStatusCode.OK);
            (await fetched.Content.ReadAsByteArrayAsync()).Should().Equal(asset);

            var jupyter = host.Supervisor.GetSnapshot("jupyter")!.ProcessId!.Value;
            processes = [jupyter, .. ProcessChecks.Descendants(jupyter)];
            processes.Should().HaveCountGreaterThan(1, "the kernel runs under Jupyter");
        }

        foreach (var pid in processes)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} (Jupyter or its kernel) is stopped with ProxyHost");
        }
    }

    /// <summary>A folder of its own inside the one Jupyter serves (the tests' working folder), removed afterwards.</summary>
    private sealed class NotebookFolder : IDisposable
    {
        public NotebookFolder()
        {
            Name = "proxyhost-jupyter-" + Guid.NewGuid().ToString("N")[..8];
            Path = System.IO.Path.Combine(Environment.CurrentDirectory, Name);
            Directory.CreateDirectory(Path);
        }

        public string Name { get; }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
