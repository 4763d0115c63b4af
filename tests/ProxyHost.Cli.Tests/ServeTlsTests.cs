using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary><c>proxyhost serve --ssl-cert --ssl-key</c>: HTTPS and WSS through a proxied server process, trusted by pinning the test's own certificate.</summary>
public sealed partial class ServeProcessTests
{
    [Fact]
    public async Task Serve_WithSslCertAndKey_ServesHttpsAndWssThroughAProxiedServer()
    {
        var certificate = SelfSignedCertificate.Create(_directory.Path);
        var config = WriteConfig(new { servers = new { app = new { command = DummyProgram.Argv("http", "--port", "<port>") } } });
        using var serve = StartServe("serve", "--port", "0", "--config", config, "--token", "tls-token",
            "--ssl-cert", certificate.CertificatePath, "--ssl-key", certificate.KeyPath);

        var url = await ReadListeningUrlAsync(serve);
        url.Should().MatchRegex(@"^https://127\.0\.0\.1:\d+/\?token=tls-token$");
        var address = new Uri(url.Split('?')[0]);
        using var client = new HttpClient(certificate.CreateHandler()) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", "tls-token");
        (await client.GetStringAsync("app/").DefaultTimeout()).Should().Contain("dummy ok");

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token tls-token");
        socket.Options.RemoteCertificateValidationCallback = (_, c, _, errors) => certificate.Validate(c, errors);
        await socket.ConnectAsync(new UriBuilder(address) { Scheme = "wss", Path = "/app/ws" }.Uri, TestTimeouts.DefaultToken()).DefaultTimeout();
        await socket.SendAsync("over wss"u8.ToArray(), WebSocketMessageType.Text, true, TestTimeouts.DefaultToken()).DefaultTimeout();
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, TestTimeouts.DefaultToken()).DefaultTimeout();
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Be("over wss");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", TestTimeouts.DefaultToken()).DefaultTimeout();

        using var unpinned = new HttpClient { BaseAddress = address };
        await unpinned.Invoking(c => c.GetAsync("app/")).Should().ThrowAsync<HttpRequestException>("only a client that pins the self-signed certificate trusts it");
        Signal(serve.Id, Sigterm);
        await serve.WaitForExitAsync().DefaultTimeout();
        serve.ExitCode.Should().Be(0);
    }
}
