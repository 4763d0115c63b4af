using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>
/// Backends that close the connection after each response (HTTP/1.0 without keep-alive, Python's
/// <c>http.server</c>): no request is ever sent on such a connection, and no request is lost under load.
/// </summary>
public sealed partial class Http10BackendTests(ITestOutputHelper output)
{
    private const int Assets = 50;

    [Fact]
    public async Task Http10Backend_NeverGetsARequestOnAConnectionAfterItsResponse()
    {
        await using var backend = new Http10Backend(closeDelay: TimeSpan.FromMilliseconds(200));
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await client.GetAsync($"proxy/{backend.Port}/seq{i}").DefaultTimeout()).StatusCode);
        }
        for (var round = 0; round < 3; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.GetAsync($"proxy/{backend.Port}/par{round}-{i}"))).DefaultTimeout();
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }
        await backend.DrainAsync();

        statuses.Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.OK));
        backend.LateRequests.Should().Be(0, $"{backend.Connections} connections were each answered once and then closed");
    }

    [Fact]
    public async Task IdempotentRequest_WhoseConnectionsAreReset_IsSentAgainUpToFourTimes()
    {
        await using var recovering = new Http10Backend(closeDelay: TimeSpan.Zero, resetConnections: 3);
        await using var down = new Http10Backend(closeDelay: TimeSpan.Zero, resetConnections: int.MaxValue);
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        (await client.GetAsync($"proxy/{recovering.Port}/page").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        var clock = Stopwatch.StartNew();
        (await client.GetAsync($"proxy/{down.Port}/page").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.BadGateway);
        output.WriteLine($"a backend that resets every connection answered 502 after {clock.ElapsedMilliseconds} ms");

        recovering.Connections.Should().Be(4);
        down.Connections.Should().Be(4, "three more attempts, then the failure is the client's answer");
    }

    [Fact]
    public async Task RequestThatIsNotIdempotent_WhoseConnectionIsReset_IsNotSentAgain()
    {
        await using var backend = new Http10Backend(closeDelay: TimeSpan.Zero, resetConnections: 1);
        await using var host = await TestProxyHost.StartAsync(output: output);
        using var client = host.CreateClient();

        var response = await client.PostAsync($"proxy/{backend.Port}/order", new StringContent("pay once")).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        backend.Connections.Should().Be(1);
    }

    [Fact]
    public async Task PythonHttpServer_PageWith50Assets_Loaded20TimesWithSixConnections_HasNoErrors()
    {
        await using var files = await PythonFiles.StartAsync(output);

        var errors = 0;
        using var browser = files.Host.CreateClient(maxConnections: 6);
        for (var load = 0; load < 20; load++)
        {
            var page = await browser.GetStringAsync("files/index.html").DefaultTimeout();
            var assets = AssetReference().Matches(page).Select(m => m.Groups[1].Value).ToList();
            assets.Should().HaveCount(Assets);
            var responses = await Task.WhenAll(assets.Select(a => TryGetAsync(browser, "files/" + a))).DefaultTimeout();
            errors += responses.Count(ok => !ok);
        }

        errors.Should().Be(0);
    }

    [Fact]
    public async Task PythonHttpServer_RoundsOf200ConcurrentGets_HaveNoErrors()
    {
        await using var files = await PythonFiles.StartAsync(output);
        using var client = files.Host.CreateClient(maxConnections: 200);
        // http.server listens with a backlog of 5, so ProxyHost must pace its new connections (a burst of 200
        // would overflow the backlog and stall in TCP's retransmissions). The bound is generous for a slow machine.
        client.Timeout = TimeSpan.FromMinutes(2);

        var errors = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 3; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => TryGetAsync(client, $"files/asset{i % Assets}.js")))
                .WaitAsync(TimeSpan.FromMinutes(3));
            errors += responses.Count(ok => !ok);
        }
        output.WriteLine($"600 GETs in {clock.Elapsed.TotalSeconds:F1} s, {errors} errors");

        errors.Should().Be(0);
    }

    private async Task<bool> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }
            output.WriteLine($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        catch (HttpRequestException e)
        {
            output.WriteLine($"{path}: {e.Message}");
        }
        return false;
    }

    [GeneratedRegex("src=\"([^\"]+)\"")]
    private static partial Regex AssetReference();

    /// <summary><c>python3 -m http.server</c> as the named server <c>files</c>, serving a page that references 50 scripts.</summary>
    private sealed class PythonFiles : IAsyncDisposable
    {
        private readonly DirectoryInfo _directory;

        private PythonFiles(DirectoryInfo directory, TestProxyHost host)
        {
            _directory = directory;
            Host = host;
        }

        public TestProxyHost Host { get; }

        public static async Task<PythonFiles> StartAsync(ITestOutputHelper output)
        {
            var directory = Directory.CreateTempSubdirectory("proxyhost-http10-");
            for (var i = 0; i < Assets; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, $"asset{i}.js"), $"// asset {i}\n" + new string('x', 2000 + (i * 97)));
            }
            var scripts = string.Concat(Enumerable.Range(0, Assets).Select(i => $"<script src=\"asset{i}.js\"></script>"));
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "index.html"), $"<html><body>{scripts}</body></html>");
            var definition = new ServerProcessDefinition
            {
                Name = "files",
                Command = ["python3", "-m", "http.server", "<port>", "--bind", "127.0.0.1", "--directory", directory.FullName],
                Timeout = TimeSpan.FromSeconds(20),
            };
            var host = await TestProxyHost.StartAsync([definition], output: output);
            using var warmUp = host.CreateClient();
            (await warmUp.GetAsync("files/index.html").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
            return new PythonFiles(directory, host);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            _directory.Delete(recursive: true);
        }
    }
}
