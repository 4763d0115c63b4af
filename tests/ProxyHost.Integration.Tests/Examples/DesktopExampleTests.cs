using System.Net;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Examples;

/// <summary>examples/desktop/proxyhost.json with Debian's Xvfb, x11vnc and noVNC, through ProxyHost.</summary>
public sealed class DesktopExampleTests(ITestOutputHelper output)
{
    private static readonly string Config = RepositoryRoot.Combine("examples", "desktop", "proxyhost.json");

    [Fact]
    public async Task VncDesktop_ThroughTheBridge_CompletesTheRfbHandshake_AndSendsTheDisplaysPixels()
    {
        int[] processes;
        await using (var host = await TestProxyHost.StartAsync(configPath: Config, output: output))
        {
            using (var rfb = await RfbClient.ConnectAsync(host.WebSocketUri("desktop/"), TestProxyHost.Token))
            {
                (await rfb.HandshakeAsync()).Should().Be("RFB 003.008\n");
                (rfb.Width, rfb.Height).Should().Be((1024, 768));

                (await rfb.ReadPixelAsync(500, 400)).Should().Be(((byte)0x34, (byte)0x65, (byte)0xa4), "xsetroot painted the display #3465a4");
            }

            using var client = host.CreateClient();
            var page = await client.GetAsync("novnc/vnc.html").DefaultTimeout();
            page.StatusCode.Should().Be(HttpStatusCode.OK);
            (await page.Content.ReadAsStringAsync()).Should().Contain("noVNC");

            var desktop = host.Supervisor.GetSnapshot("desktop")!.ProcessId!.Value;
            processes = [desktop, .. ProcessChecks.Descendants(desktop)];
            processes.Should().HaveCountGreaterThan(1, "Xvfb runs under x11vnc");
        }

        foreach (var pid in processes)
        {
            (await ProcessChecks.WaitForExitAsync(pid)).Should().BeTrue($"process {pid} (x11vnc or Xvfb) is stopped with ProxyHost");
        }
    }
}
