using FluentAssertions;
using Microsoft.Playwright;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Monitoring;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Browser.Tests;

/// <summary>The examples' Narvi pages (unmodified <c>start_narvi</c> pages) in real headless Chromium against a real NarviServer.</summary>
public sealed class NarviPageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions Bounded = new() { Timeout = 30_000 };
    private NarviServer _server = null!;

    public async Task InitializeAsync()
    {
        var examples = Path.Combine(RepositoryRoot.Path, "examples");
        _server = new NarviServer("127.0.0.1", 0, monitoringInterval: TimeSpan.FromMilliseconds(200));
        var echo = _server.RegisterService("demo", "echo_service", "NarviEcho.EchoService");
        _server.RegisterApp("echo", echo, resourceRoots: [ResourceRoot.File("index.html", Path.Combine(examples, "narvi-echo", "static", "index.html"))]);
        var chat = _server.RegisterService("demo", "chat_service", "NarviChat.ChatService", new { greeting = "Hello" });
        _server.RegisterApp("chat", chat, new { title = "Chat" }, [ResourceRoot.Folder("", "*", Path.Combine(examples, "narvi-chat", "static", "chat"))]);
        MonitorApp.Register(_server.Registry);
        await _server.StartAsync().DefaultTimeout();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EchoPage_SendsAndShowsTheEcho_AndReconnectsAfterTheServiceStops()
    {
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("demo/echo/browser-1/index.html"));

        await Send(page, "hello");
        await Assertions.Expect(page.Locator(".reply").Last).ToHaveTextAsync("echo:hello", Bounded);
        (await page.Locator("#session").TextContentAsync()).Should().MatchRegex("^[0-9a-f-]{36}$", "the app can read its session id");

        await _server.StopServiceAsync("demo", "echo_service", "browser-1").DefaultTimeout();
        await Send(page, "after restart");
        await Assertions.Expect(page.Locator(".reply").Last).ToHaveTextAsync("echo:after restart", Bounded);
        (await page.EvaluateAsync<int>("() => document.querySelectorAll('.reply').length")).Should().Be(2, "no alert, no reload: the page kept its state");
    }

    [Fact]
    public async Task ChatPage_InTwoContexts_SeesEachOthersMessages_HistoryAndTheMonitor()
    {
        await using var anaContext = await chromium.Browser.NewContextAsync();
        await using var benContext = await chromium.Browser.NewContextAsync();
        var ana = await anaContext.NewPageAsync();
        var ben = await benContext.NewPageAsync();
        await ana.GotoAsync(Url("demo/chat/room-7/index.html?name=ana"));
        await Assertions.Expect(ana.Locator(".event").First).ToHaveTextAsync("Hello to room-7", Bounded);
        await ben.GotoAsync(Url("demo/chat/room-7/index.html?name=ben"));
        await Assertions.Expect(ana.Locator(".event").Last).ToHaveTextAsync("ben joined (2 here)", Bounded);

        await Send(ana, "hi ben");
        await Assertions.Expect(ben.Locator(".message").Last).ToHaveTextAsync("ana:hi ben", Bounded);
        await Send(ben, "hi ana");
        await Assertions.Expect(ana.Locator(".message").Last).ToHaveTextAsync("ben:hi ana", Bounded);

        var late = await benContext.NewPageAsync();
        await late.GotoAsync(Url("demo/chat/room-7/index.html?name=cy"));
        await Assertions.Expect(late.Locator(".message")).ToHaveTextAsync(["ana:hi ben", "ben:hi ana"], new() { Timeout = 30_000 });

        var monitor = await anaContext.NewPageAsync();
        await monitor.GotoAsync(Url("system_workspace/monitor_app/monitor/index.html"));
        var row = monitor.Locator("tr[data-service=chat_service]");
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("room-7", Bounded);
        await Assertions.Expect(row.Locator("[data-metric=users] canvas")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(row.Locator("[data-metric=users] span")).ToHaveTextAsync("users: 3", Bounded);
    }

    private static async Task Send(IPage page, string text)
    {
        await page.FillAsync("#text", text);
        await page.ClickAsync("button");
    }

    private string Url(string path) => new Uri(_server.Address!, "/narvi/" + path).ToString();

}
