using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.Playwright;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Browser.Tests;

/// <summary>ProxyHost's pages in real headless Chromium against a real host and real server processes.</summary>
public sealed class PageTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly LocatorAssertionsToHaveTextOptions Bounded = new() { Timeout = 30_000 };
    private readonly TempDirectory _directory = new("proxyhost-browser-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Launcher_ShowsTilesWithStateAndLinks_AndFollowsStateLive()
    {
        var icon = Path.Combine(_directory.Path, "icon.svg");
        await File.WriteAllTextAsync(icon, """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#e8590c"/></svg>""");
        await using var host = await TestProxyHost.StartAsync(
        [
            Dummy("lab", "http", "--port", "<port>") with { LauncherEntry = new() { Title = "JupyterLab <beta>", Category = "Notebook", IconPath = icon } },
            Dummy("rstudio", "http", "--port", "<port>") with { LauncherEntry = new() { Title = "RStudio", Category = "Tools" }, NewBrowserTab = false },
            Dummy("code", "http", "--port", "<port>") with { LauncherEntry = new() { Title = "VS Code", Category = "Tools" } },
            Dummy("hidden", "http", "--port", "<port>") with { LauncherEntry = new() { Enabled = false } },
        ], output: output);
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 900, Height = 560 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Address, "/?token=" + TestProxyHost.Token).ToString());

        var lab = page.Locator(".tile[data-server=lab]");
        await Assertions.Expect(lab.Locator(".title")).ToHaveTextAsync("JupyterLab <beta>");
        await Assertions.Expect(lab.Locator(".state")).ToHaveTextAsync("not started");
        (await lab.GetAttributeAsync("href")).Should().Be("/lab/");
        (await lab.GetAttributeAsync("target")).Should().Be("_blank");
        (await page.Locator(".tile[data-server=rstudio]").GetAttributeAsync("target")).Should().BeNull();
        (await page.Locator(".tile[data-server=lab] img").EvaluateAsync<int>("i => i.naturalWidth")).Should().BeGreaterThan(0, "the icon is served by ProxyHost");
        (await page.Locator(".tile[data-server=hidden]").CountAsync()).Should().Be(0);
        (await page.Locator("h2").AllTextContentsAsync()).Should().Equal("Notebook", "Tools");

        using var client = host.CreateClient();
        await client.GetStringAsync("code/").DefaultTimeout();
        await Assertions.Expect(page.Locator(".tile[data-server=code] .state")).ToHaveTextAsync("running", Bounded);

        var screenshot = Environment.GetEnvironmentVariable("PROXYHOST_LAUNCHER_SCREENSHOT") ?? Path.Combine(_directory.Path, "launcher.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        new FileInfo(screenshot).Length.Should().BeGreaterThan(1000);
    }

    [Fact]
    public async Task StartingPage_ShowsOutputAndMovesOnToTheServerByItself()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("slow", "http", "--port", "<port>", "--print", "3", "--delay-ms", "1500")], output: output);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(host.Address, "/slow/?token=" + TestProxyHost.Token).ToString());

        response!.Status.Should().Be(200);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Starting slow…");
        await Assertions.Expect(page.Locator("#output")).ToContainTextAsync("line 3", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("dummy ok", Bounded);
        page.Url.Should().EndWith("/slow/");
        host.Supervisor.GetSnapshot("slow")!.State.Should().Be(ServerProcessState.Running);
    }

    [Fact]
    public async Task StartingPage_ServerFails_ShowsErrorExitCodeAndRestartInPlace()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("bad", "exit", "--code", "3", "--print", "2")], output: output);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(host.Address, "/bad/?token=" + TestProxyHost.Token).ToString());

        response!.Status.Should().Be(200, "a browser first gets the starting page");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("bad failed to start", Bounded);
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("exit code 3");
        await Assertions.Expect(page.Locator("#output")).ToContainTextAsync("exiting with 3");
        await Assertions.Expect(page.Locator("#restart")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task FailurePage_RestartButton_RestartsTheServer()
    {
        var failFlag = Path.Combine(_directory.Path, "fail");
        await File.WriteAllTextAsync(failFlag, "");
        // Exits 3 while the flag file exists, serves HTTP once it is gone.
        var script = $"if [ -e '{failFlag}' ]; then echo 'cannot start: flag present'; exit 3; fi; exec {string.Join(' ', DummyProgram.Prefix.Select(p => $"'{p}'"))} http --port \"$0\"";
        var definition = new ServerProcessDefinition { Name = "flaky", Command = ["sh", "-c", script, "<port>"], Timeout = TimeSpan.FromSeconds(20) };
        await using var host = await TestProxyHost.StartAsync([definition], output: output);
        using var client = host.CreateClient();
        using (var start = new HttpRequestMessage(HttpMethod.Post, "api/servers/flaky/start"))
        {
            start.Headers.Add("X-ProxyHost-Request", "1");
            (await client.SendAsync(start).DefaultTimeout()).StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        }
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(host.Address, "/flaky/?token=" + TestProxyHost.Token).ToString());

        response!.Status.Should().Be(503);
        await Assertions.Expect(page.Locator("#exit-code")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("pre")).ToContainTextAsync("cannot start: flag present");
        File.Delete(failFlag);
        await page.Locator("#restart").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("dummy ok", Bounded);
        host.Supervisor.GetSnapshot("flaky")!.State.Should().Be(ServerProcessState.Running);
    }

    [Fact]
    public async Task Dashboard_StopAndRestart_ChangeTheProcessAndShowLiveState()
    {
        await using var host = await TestProxyHost.StartAsync([Dummy("app", "http", "--port", "<port>", "--print", "2"), Dummy("other", "http", "--port", "<port>")], output: output);
        using var client = host.CreateClient();
        var pid = await client.GetStringAsync("app/pid").DefaultTimeout();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Address, "/_/dashboard?token=" + TestProxyHost.Token).ToString());

        var row = page.Locator("tr[data-server=app]");
        await Assertions.Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("running");
        await Assertions.Expect(row.Locator("[data-field=pid]")).ToHaveTextAsync(pid);
        await Assertions.Expect(row.Locator("[data-field=endpoint]")).ToHaveTextAsync(host.Supervisor.GetSnapshot("app")!.Endpoint!.Port.ToString());
        await Assertions.Expect(page.Locator("tr[data-server=other] [data-field=state]")).ToHaveTextAsync("not started");
        await Assertions.Expect(page.Locator("#log")).ToContainTextAsync("line 2");

        await row.Locator("button[data-action=stop]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("stopped", Bounded);
        await Assertions.Expect(row.Locator("[data-field=pid]")).ToHaveTextAsync("");
        ProcessChecks.IsAlive(int.Parse(pid)).Should().BeFalse();

        await row.Locator("button[data-action=restart]").ClickAsync();
        await Assertions.Expect(row.Locator("[data-field=state]")).ToHaveTextAsync("running", Bounded);
        await Assertions.Expect(row.Locator("[data-field=pid]")).Not.ToHaveTextAsync(new Regex($"^({pid})?$"));
        var newPid = await client.GetStringAsync("app/pid").DefaultTimeout();
        await Assertions.Expect(row.Locator("[data-field=pid]")).ToHaveTextAsync(newPid);
        await Assertions.Expect(row.Locator("[data-field=restarts]")).Not.ToHaveTextAsync("0");
        if (Environment.GetEnvironmentVariable("PROXYHOST_DASHBOARD_SCREENSHOT") is { } screenshot)
        {
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }
    }

    [Fact]
    public async Task Dashboard_ShowsEachRunningServersMemoryAndCpu_WithASparkline()
    {
        await using var host = await TestProxyHost.StartAsync(
            [Dummy("app", "http", "--port", "<port>"), Dummy("other", "http", "--port", "<port>")],
            output: output,
            supervision: o => o.ResourceSampleInterval = TimeSpan.FromMilliseconds(200));
        using var client = host.CreateClient();
        await client.GetStringAsync("app/").DefaultTimeout();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Address, "/_/dashboard?token=" + TestProxyHost.Token).ToString());

        var row = page.Locator("tr[data-server=app]");
        await Assertions.Expect(row.Locator("[data-field=memory]")).ToHaveTextAsync(new Regex(@"^[0-9.]+ MiB$"), Bounded);
        await Assertions.Expect(row.Locator("[data-field=cpu]")).ToHaveTextAsync(new Regex(@"^[0-9.]+ %$"), Bounded);
        await Assertions.Expect(row.Locator("[data-field=spark] svg polyline.mem")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        (await row.Locator("[data-field=spark] svg polyline.mem").GetAttributeAsync("points"))!.Split(' ').Should().HaveCountGreaterThan(1);
        await Assertions.Expect(page.Locator("tr[data-server=other] [data-field=memory]")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task Dashboard_ShowsAServerThatGrows_GrowingInItsMemoryColumnAndSparkline()
    {
        var server = new ServerProcessDefinition { Name = "grow", Command = await GrowingServer.CommandAsync(_directory), Timeout = TimeSpan.FromSeconds(20) };
        await using var host = await TestProxyHost.StartAsync(
            [server], output: output, supervision: o => o.ResourceSampleInterval = TimeSpan.FromMilliseconds(200));
        using var client = host.CreateClient();
        await client.GetStringAsync("grow/").DefaultTimeout();
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.Address, "/_/dashboard?token=" + TestProxyHost.Token).ToString());
        var memory = page.Locator("tr[data-server=grow] [data-field=memory]");
        await Assertions.Expect(memory).ToHaveTextAsync(new Regex(@"^[0-9.]+ MiB$"), Bounded);
        var before = double.Parse((await memory.TextContentAsync())!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        await client.GetStringAsync("grow/grow").DefaultTimeout();
        await client.GetStringAsync("grow/grow").DefaultTimeout();

        // Two steps of 32 MiB: the page shows at least 48 MiB more once a sample has seen them.
        await page.WaitForFunctionAsync(
            "([selector, least]) => parseFloat(document.querySelector(selector)?.textContent ?? '') >= least",
            new object[] { "tr[data-server=grow] [data-field=memory]", before + 48 },
            new() { Timeout = 30_000, PollingInterval = 100 });
        var points = (await page.Locator("tr[data-server=grow] [data-field=spark] svg polyline.mem").GetAttributeAsync("points"))!
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        points.Should().HaveCountGreaterThan(1);
        points[^1].Should().BeLessThan(points[0], "SVG y grows downwards: the newest memory sample is drawn higher than the first");
    }

    private static ServerProcessDefinition Dummy(string name, params string[] arguments) =>
        new() { Name = name, Command = DummyProgram.Argv(arguments), Timeout = TimeSpan.FromSeconds(20) };
}
