using System.Net;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

public sealed class ServerApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Status_BeforeAnyTraffic_ReportsStartedAsLastActivity()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();

        var status = await GetJsonAsync(client, "api/status");

        status.GetProperty("started").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        status.GetProperty("last_activity").GetDateTimeOffset().Should().Be(status.GetProperty("started").GetDateTimeOffset());
        status.GetProperty("servers").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Status_AfterProxiedRequests_CountsOnlyServersThatUpdateLastActivity()
    {
        await using var host = await TestProxyHost.StartAsync(
            [Dummy("app", "http", "--port", "<port>"), Dummy("quiet", "http", "--port", "<port>") with { UpdateLastActivity = false }], output: output);
        using var client = host.CreateClient();
        await client.GetStringAsync("app/").DefaultTimeout();
        var afterApp = (await GetJsonAsync(client, "api/status")).GetProperty("last_activity").GetDateTimeOffset();

        await client.GetStringAsync("quiet/").DefaultTimeout();
        var status = await GetJsonAsync(client, "api/status");

        afterApp.Should().BeAfter((await GetJsonAsync(client, "api/status")).GetProperty("started").GetDateTimeOffset());
        status.GetProperty("last_activity").GetDateTimeOffset().Should().Be(afterApp);
        status.GetProperty("servers").GetInt32().Should().Be(2);
        var quiet = await GetJsonAsync(client, "api/servers/quiet");
        quiet.GetProperty("last_activity").GetDateTimeOffset().Should().BeAfter(afterApp);
    }

    [Fact]
    public async Task Servers_List_ShowsEveryServerInCatalogOrder()
    {
        await using var host = await TestProxyHost.StartAsync(
            [Dummy("one", "http", "--port", "<port>"), Dummy("two", "http", "--port", "<port>") with { LauncherEntry = new() { Title = "Two <b>" } }],
            output: output);
        using var client = host.CreateClient();

        var servers = await GetJsonAsync(client, "api/servers");

        servers.EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("one", "two");
        servers[1].GetProperty("title").GetString().Should().Be("Two <b>");
        servers[0].GetProperty("state").GetString().Should().Be("not_started");
        servers[0].GetProperty("pid").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Server_Running_ShowsPidPortStartedAndActivity()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        var pid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());

        var server = await GetJsonAsync(client, "api/servers/app");

        server.GetProperty("state").GetString().Should().Be("running");
        server.GetProperty("pid").GetInt32().Should().Be(pid);
        server.GetProperty("port").GetInt32().Should().Be(host.Supervisor.GetSnapshot("app")!.Endpoint!.Port);
        server.GetProperty("started").GetDateTimeOffset().Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        server.GetProperty("last_activity").ValueKind.Should().Be(JsonValueKind.String);
        server.GetProperty("restarts").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task Server_Unknown_Is404WithError()
    {
        await using var host = await TestProxyHost.StartAsync([], output: output);
        using var client = host.CreateClient();

        var response = await client.GetAsync("api/servers/nope").DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await ReadJsonAsync(response)).GetProperty("error").GetString().Should().Be("no server named 'nope'");
    }

    [Fact]
    public async Task Api_WithoutToken_Is401()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient(withToken: false);

        (await client.GetAsync("api/status").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("api/servers").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Start_WithoutRequestHeader_Is403AndStartsNothing()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();

        var response = await client.PostAsync("api/servers/app/start", null).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        host.Supervisor.GetSnapshot("app")!.State.Should().Be(ServerProcessState.NotStarted);
    }

    [Fact]
    public async Task Start_WaitsUntilRunningAndReturnsServer()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--delay-ms", "300")], output: output);
        using var client = host.CreateClient();

        var response = await PostAsync(client, "api/servers/app/start");
        var server = await ReadJsonAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        server.GetProperty("state").GetString().Should().Be("running");
        ProcessChecks.IsAlive(server.GetProperty("pid").GetInt32()).Should().BeTrue();
    }

    [Fact]
    public async Task Start_FailingServer_Is503WithExitCode()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("bad", "exit", "--code", "3", "--print", "1")], output: output);
        using var client = host.CreateClient();

        var response = await PostAsync(client, "api/servers/bad/start");
        var error = await ReadJsonAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        error.GetProperty("error").GetString().Should().Contain("3");
        error.GetProperty("server").GetProperty("state").GetString().Should().Be("failed");
        error.GetProperty("server").GetProperty("last_exit").GetProperty("code").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Stop_StopsTheProcessTree()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        var pid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());

        var response = await PostAsync(client, "api/servers/app/stop");
        var server = await ReadJsonAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        server.GetProperty("state").GetString().Should().Be("stopped");
        ProcessChecks.IsAlive(pid).Should().BeFalse();
    }

    [Fact]
    public async Task Restart_StartsANewProcess()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        var pid = int.Parse(await client.GetStringAsync("app/pid").DefaultTimeout());

        var server = await ReadJsonAsync(await PostAsync(client, "api/servers/app/restart"));

        server.GetProperty("state").GetString().Should().Be("running");
        server.GetProperty("pid").GetInt32().Should().NotBe(pid);
        (await client.GetStringAsync("app/pid").DefaultTimeout()).Should().Be(server.GetProperty("pid").GetInt32().ToString());
    }

    [Fact]
    public async Task Log_ReturnsTheLastLines()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--print", "5")], output: output);
        using var client = host.CreateClient();
        await PostAsync(client, "api/servers/app/start");

        var log = await GetJsonAsync(client, "api/servers/app/log?lines=2");
        var all = await GetJsonAsync(client, "api/servers/app/log?lines=1000");

        log.GetProperty("lines").GetArrayLength().Should().Be(2);
        all.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("text").GetString()).Should().Contain(t => t!.Contains("line 5"));
        all.GetProperty("lines")[0].GetProperty("stream").GetString().Should().BeOneOf("stdout", "stderr", "proxyhost");
    }

    [Fact]
    public async Task LogStream_SendsHeldLinesThenNewOnes()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--print", "3")], output: output);
        using var client = host.CreateClient();
        using var events = await ServerSentEventReader.OpenAsync(client, "api/servers/app/log/stream?lines=0");

        await PostAsync(client, "api/servers/app/start");

        var texts = new List<string>();
        while (!texts.Any(t => t.Contains("line 3")))
        {
            texts.Add((await events.ReadAsync()).GetProperty("text").GetString()!);
        }
        texts.Should().Contain(t => t.Contains("line 1"));
    }

    [Fact]
    public async Task Events_SendCurrentStateThenChanges()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        using var events = await ServerSentEventReader.OpenAsync(client, "api/servers/app/events");
        (await events.ReadAsync()).GetProperty("state").GetString().Should().Be("not_started");

        var start = PostAsync(client, "api/servers/app/start");

        var states = new List<string>();
        while (states.LastOrDefault() != "running")
        {
            states.Add((await events.ReadAsync()).GetProperty("state").GetString()!);
        }
        states.Should().StartWith("starting");
        (await start).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AllEvents_SendEveryServerThenChanges()
    {
        await using var host = await TestProxyHost.StartAsync(
            [Dummy("one", "http", "--port", "<port>"), Dummy("two", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        using var events = await ServerSentEventReader.OpenAsync(client, "api/events");
        var first = new[] { await events.ReadAsync(), await events.ReadAsync() };
        first.Select(e => e.GetProperty("name").GetString()).Should().BeEquivalentTo("one", "two");

        await client.GetStringAsync("two/").DefaultTimeout();

        JsonElement next;
        do
        {
            next = await events.ReadAsync();
        }
        while (next.GetProperty("state").GetString() != "running");
        next.GetProperty("name").GetString().Should().Be("two");
    }

    [Fact]
    public async Task BrowserRequest_ToStoppedServer_GetsStartingPageAndServerStarts()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--delay-ms", "300")], output: output);
        using var client = host.CreateClient();
        using var events = await ServerSentEventReader.OpenAsync(client, "api/servers/app/events");
        var request = new HttpRequestMessage(HttpMethod.Get, "app/");
        request.Headers.Accept.ParseAdd("text/html");

        var response = await client.SendAsync(request).DefaultTimeout();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Starting app…").And.Contain("api/servers/app/events");
        while ((await events.ReadAsync()).GetProperty("state").GetString() != "running")
        {
        }
    }

    [Fact]
    public async Task BrowserRequest_ToFailedServer_GetsFailurePageWithExitCodeAndRestartButton()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("bad", "exit", "--code", "3", "--print", "1")], output: output);
        using var client = host.CreateClient();
        await PostAsync(client, "api/servers/bad/start");
        var request = new HttpRequestMessage(HttpMethod.Get, "bad/");
        request.Headers.Accept.ParseAdd("text/html");

        var response = await client.SendAsync(request).DefaultTimeout();
        var page = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        page.Should().Contain("id=\"exit-code\">3<").And.Contain("id=\"restart\"").And.Contain("/api/servers/bad/restart").And.Contain("exiting with 3");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-ProxyHost-Request", "1");
        return await client.SendAsync(request).DefaultTimeout();
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return await ReadJsonAsync(response);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static ServerProcessDefinition Dummy(string name, params string[] arguments) =>
        new() { Name = name, Command = DummyProgram.Argv(arguments), Timeout = TimeSpan.FromSeconds(20) };
}
