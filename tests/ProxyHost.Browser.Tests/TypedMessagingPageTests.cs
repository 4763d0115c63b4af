using System.Text.Json;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Browser.Tests;

/// <summary>
/// The typed-messaging example page (examples/typed-messaging/web) in headless Chromium, served by a
/// real ProxyHost from a <c>webservers</c> entry: text, JSON, a file and an image go out through
/// websocket.js, the replies show up, and the uploads come back through the mount.
/// </summary>
public sealed class TypedMessagingPageTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IDisposable
{
    private static readonly LocatorAssertionsToHaveCountOptions Bounded = new() { Timeout = 30_000 };
    private readonly TempDirectory _directory = new("proxyhost-typed-messaging-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ExamplePage_SendsTextJsonFileAndImage_AndShowsTheServersReplies()
    {
        var config = Path.Combine(_directory.Path, "proxyhost.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            webservers = new { demo = new { root = ExampleWebRoot(), upload_dir = Path.Combine(_directory.Path, "uploads"), echo = true } },
        }));
        await using var host = await TestProxyHost.StartAsync(configPath: config, baseUrl: "/hub/", output: output);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(new Uri(host.Address, "/hub/_/messaging/demo/?token=" + TestProxyHost.Token).ToString());
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("open", new() { Timeout = 30_000 });
        var replies = page.Locator("#replies li");
        await Assertions.Expect(replies).ToHaveCountAsync(1, Bounded);
        (await replies.Nth(0).TextContentAsync()).Should().StartWith("json: {\"welcome\":\"c");

        await page.FillAsync("#text", "typed hello");
        await page.ClickAsync("#send-text");
        await Assertions.Expect(replies).ToHaveCountAsync(2, Bounded);
        await page.ClickAsync("#send-json");
        await Assertions.Expect(replies).ToHaveCountAsync(3, Bounded);
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "file from chromium"u8.ToArray() });
        await page.ClickAsync("#send-file");
        await Assertions.Expect(replies).ToHaveCountAsync(4, Bounded);
        await page.ClickAsync("#send-image");
        await Assertions.Expect(replies).ToHaveCountAsync(5, Bounded);

        (await replies.Nth(1).TextContentAsync()).Should().Be("text: echo: typed hello");
        (await replies.Nth(2).TextContentAsync()).Should().MatchRegex("^json: \\{\"echo\":\\{\"command\":\"ping\",\"at\":\"[^\"]+\"\\}\\}$");
        (await replies.Nth(3).TextContentAsync()).Should().MatchRegex(@"^upload: file of 18 bytes saved as uploads/\d{8}_\d{6}_[0-9a-f]{8}\.txt open$");
        (await replies.Nth(4).TextContentAsync()).Should().MatchRegex(@"^upload: image of \d+ bytes saved as uploads/\d{8}_\d{6}_[0-9a-f]{8}\.png open$");
        var fileUrl = await replies.Nth(3).Locator("a.upload").EvaluateAsync<string>("a => a.href");
        var served = await page.APIRequest.GetAsync(fileUrl);
        (served.Status, await served.TextAsync()).Should().Be((200, "file from chromium"));
        await Assertions.Expect(page.Locator("#uploaded-image")).ToHaveJSPropertyAsync("naturalWidth", 16, new() { Timeout = 30_000 });
        errors.Should().BeEmpty();
        if (Environment.GetEnvironmentVariable("PROXYHOST_TYPED_MESSAGING_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }
    }

    [Fact]
    public async Task ExamplePage_ReconnectsByItself_WhenTheServerDropsTheConnection()
    {
        var config = Path.Combine(_directory.Path, "proxyhost.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { webservers = new { demo = new { root = ExampleWebRoot(), echo = true } } }));
        await using var host = await TestProxyHost.StartAsync(configPath: config, output: output);
        var hub = host.App.Services.GetRequiredService<ProxyHost.Hosting.Messaging.TypedMessagingSites>()["demo"];
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.Address, "/_/messaging/demo/?token=" + TestProxyHost.Token).ToString());
        var replies = page.Locator("#replies li");
        await Assertions.Expect(replies).ToHaveCountAsync(1, Bounded);
        var reconnected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.ClientConnected += e => reconnected.TrySetResult(e.ClientId);
        var first = hub.ClientIds.Single();

        hub.Disconnect(first, System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "test drops the client").Should().BeTrue();

        (await reconnected.Task.DefaultTimeout()).Should().NotBe(first);
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("open", new() { Timeout = 30_000 });
        await page.ClickAsync("#send-text");
        await Assertions.Expect(page.Locator("#replies li[data-type=text]").Last).ToHaveTextAsync("text: echo: hello from the browser", new() { Timeout = 30_000 });
    }

    private static string ExampleWebRoot() => RepositoryRoot.Combine("examples", "typed-messaging", "web");
}
