using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Messaging;
using ProxyHost.Messaging.Protocol;
using ProxyHost.Tests;
using ProxyHost.Tests.Hosting;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>Sites from proxyhost.json's <c>webservers</c> inside a real ProxyHost, behind its token.</summary>
public sealed class ProxyHostSiteTests : IDisposable
{
    private const string Token = TestProxyHost.Token;
    private readonly TempDirectory _directory = new("proxyhost-sites-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task ConfiguredSite_IsServedUnderMessagingPrefix_BehindTheToken_WithUploadsServedBack()
    {
        var web = Directory.CreateDirectory(_directory.Combine("web"));
        await File.WriteAllTextAsync(Path.Combine(web.FullName, "index.html"), "<p>chat at {{ base_path }}</p>");
        var config = WriteConfig("""{"webservers": {"chat": {"root": "web", "upload_dir": "uploads", "echo": true}}}""");
        await using var host = await StartAsync(config, "/jupyter/");
        var address = host.Address;
        using var anonymous = new HttpClient { BaseAddress = address };
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);

        (await anonymous.GetAsync("jupyter/_/messaging/chat/").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync("jupyter/_/messaging/chat/static/websocket.js").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var noToken = () => TypedClient.ConnectAsync(WebSocket(address, "jupyter/_/messaging/chat/ws"));
        (await noToken.Should().ThrowAsync<WebSocketException>()).Which.Message.Should().Contain("401");
        (await http.GetStringAsync("jupyter/_/messaging/chat/").DefaultTimeout()).Should().Be("<p>chat at /jupyter/_/messaging/chat/</p>");
        (await http.GetAsync("jupyter/_/messaging/chat").DefaultTimeout()).RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/jupyter/_/messaging/chat/");

        await using var client = await TypedClient.ConnectAsync(WebSocket(address, "jupyter/_/messaging/chat/ws"), o => o.SetRequestHeader("Authorization", "token " + Token));
        await client.ReceiveAsync();
        await client.SendAsync(MessageType.Image, [1, 2, 3], "png");
        var url = JsonDocument.Parse((await client.ReceiveAsync()).Payload).RootElement.GetProperty("url").GetString();

        (await http.GetByteArrayAsync("jupyter/_/messaging/chat/" + url).DefaultTimeout()).Should().Equal(1, 2, 3);
        (await anonymous.GetAsync("jupyter/_/messaging/chat/" + url).DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        Directory.GetFiles(Path.Combine(_directory.Path, "uploads")).Should().ContainSingle("upload_dir is relative to the config file");
        var sites = host.App.Services.GetRequiredService<TypedMessagingSites>();
        sites.Names.Should().Equal("chat");
        sites["CHAT"].NumClients.Should().Be(1);
    }

    [Fact]
    public async Task CodeDefinedSite_GetsHandlers_AndNamesMayNotClashWithTheConfigFile()
    {
        var config = WriteConfig("""{"webservers": {"shared": {}}}""");
        await using var host = await StartAsync(config, "/", p => p.AddTypedMessaging("bot", o => o.MessageCallback = m =>
        {
            if (m.Type == MessageType.Text)
            {
                m.Reply("bot: " + m.Text);
            }
            return ValueTask.CompletedTask;
        }));
        await using var client = await TypedClient.ConnectAsync(WebSocket(host.Address, "_/messaging/bot/ws"), o => o.SetRequestHeader("Authorization", "token " + Token));

        await client.SendAsync(MessageType.Text, "hello");

        (await client.ReceiveTextAsync()).Should().Be("bot: hello");
        var clash = () => StartAsync(config, "/", p => p.AddTypedMessaging("Shared", _ => { }));
        (await clash.Should().ThrowAsync<ConfigValidationException>()).Which.Errors.Single().ToString()
            .Should().Be($"{config}: webservers.shared: site 'shared' is already defined (in code or another file); names are case-insensitive");
    }

    [Fact]
    public async Task ConfiguredSite_MissingFolders_AreNamedByFileAndKey()
    {
        var config = WriteConfig("""{"webservers": {"chat": {"root": "nowhere", "mounts": {"gone": "data", "my-uploads": "up"}}}}""");

        var act = () => StartAsync(config, "/");

        var errors = (await act.Should().ThrowAsync<ConfigValidationException>()).Which.Errors.Select(e => e.ToString());
        errors.Should().Equal(
            $"{config}: webservers.chat.root: the folder {Path.Combine(_directory.Path, "nowhere")} does not exist",
            $"{config}: webservers.chat.mounts.gone: the folder {Path.Combine(_directory.Path, "gone")} does not exist");
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_directory.Path, "proxyhost.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Task<TestProxyHost> StartAsync(string config, string baseUrl, Action<IProxyHostBuilder>? configure = null) =>
        TestProxyHost.StartAsync(configPath: config, baseUrl: baseUrl, configureHost: configure);

    private static Uri WebSocket(Uri address, string path) => new UriBuilder(address) { Scheme = "ws", Path = path }.Uri;
}
