using Microsoft.Playwright;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Browser.Tests;

/// <summary>examples/desktop in Chromium: Debian's noVNC, served through ProxyHost, connects to the desktop over the raw-socket bridge.</summary>
public sealed class NoVncPageTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task NoVnc_OpenedThroughProxyHost_ConnectsToTheDesktop()
    {
        await using var host = await TestProxyHost.StartAsync(configPath: RepositoryRoot.Combine("examples", "desktop", "proxyhost.json"), output: output);
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Address, $"/novnc/vnc.html?autoconnect=true&path=desktop/&token={TestProxyHost.Token}").ToString(), new() { Timeout = 60_000 });

        await Assertions.Expect(page.Locator("html.noVNC_connected")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#noVNC_status")).ToContainTextAsync("Connected");
    }
}
