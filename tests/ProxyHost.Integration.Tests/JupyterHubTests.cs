using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting.JupyterHub;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Proxy.Activity;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests;

/// <summary>Single-user mode: activity reports to a fake Hub (a real HTTP server that records the POSTs).</summary>
public sealed class JupyterHubTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Activity_AfterARequest_IsPostedToTheHubWithItsToken()
    {
        await using var hub = await FakeHub.StartAsync();
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }], baseUrl: "/user/ana/", output: output,
            configureHost: proxyHost => proxyHost.AddJupyterHubActivity(o =>
            {
                o.ActivityUrl = hub.ActivityUrl;
                o.ApiToken = "hub-api-token";
                o.ServerName = "";
                o.Interval = TimeSpan.FromMilliseconds(100);
            }));
        using var client = host.CreateClient();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        (await client.GetAsync("app/")).StatusCode.Should().Be(HttpStatusCode.OK);
        var post = await hub.Posts.Reader.ReadAsync().AsTask().DefaultTimeout();

        post.Authorization.Should().Be("token hub-api-token");
        using var json = JsonDocument.Parse(post.Body);
        var last = json.RootElement.GetProperty("last_activity").GetDateTimeOffset();
        last.Should().BeAfter(before).And.BeBefore(DateTimeOffset.UtcNow.AddSeconds(1));
        json.RootElement.GetProperty("servers").GetProperty("").GetProperty("last_activity").GetDateTimeOffset().Should().Be(last);
    }

    [Fact]
    public async Task Activity_ServerWithUpdateLastActivityFalse_DoesNotCount()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "quiet", Port = backend.Port, UpdateLastActivity = false },
             new ServerProcessDefinition { Name = "busy", Port = backend.Port }],
            output: output,
            configureHost: proxyHost => proxyHost.AddJupyterHubActivity(o => o.ActivityUrl = new Uri("http://127.0.0.1:9/activity")));
        using var client = host.CreateClient();
        var activity = host.App.Services.GetRequiredService<ServerActivityTracker>();

        (await client.GetAsync("quiet/")).StatusCode.Should().Be(HttpStatusCode.OK);
        var afterQuiet = activity.LastActivity;
        (await client.GetAsync("busy/")).StatusCode.Should().Be(HttpStatusCode.OK);

        afterQuiet.Should().BeNull();
        activity.LastActivity.Should().NotBeNull();
    }

    [Fact]
    public void Environment_ServiceVariables_GiveBaseUrlAddressPortAndActivity()
    {
        var variables = new Dictionary<string, string>
        {
            ["JUPYTERHUB_SERVICE_PREFIX"] = "/user/ana/",
            ["JUPYTERHUB_SERVICE_URL"] = "http://0.0.0.0:8888/user/ana/",
            ["JUPYTERHUB_ACTIVITY_URL"] = "http://hub:8081/hub/api/users/ana/activity",
            ["JUPYTERHUB_API_TOKEN"] = "t",
            ["JUPYTERHUB_SERVER_NAME"] = "gpu",
        };

        var hub = JupyterHubEnvironment.Read(name => variables.GetValueOrDefault(name));

        hub.IsPresent.Should().BeTrue();
        hub.BaseUrl.Should().Be("/user/ana/");
        hub.Address.Should().Be(IPAddress.Any);
        hub.Port.Should().Be(8888);
        hub.ActivityUrl.Should().Be(new Uri("http://hub:8081/hub/api/users/ana/activity"));
        hub.ApiToken.Should().Be("t");
        hub.ServerName.Should().Be("gpu");
        JupyterHubEnvironment.Read(_ => null).IsPresent.Should().BeFalse();
    }

    private sealed record HubPost(string? Authorization, string Body);

    private sealed class FakeHub : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeHub(WebApplication app, Uri activityUrl, Channel<HubPost> posts)
        {
            _app = app;
            ActivityUrl = activityUrl;
            Posts = posts;
        }

        public Uri ActivityUrl { get; }

        public Channel<HubPost> Posts { get; }

        public static async Task<FakeHub> StartAsync()
        {
            var posts = Channel.CreateUnbounded<HubPost>();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapPost("/hub/api/users/ana/activity", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                await posts.Writer.WriteAsync(new HubPost(context.Request.Headers.Authorization.ToString(), await reader.ReadToEndAsync()));
                return Results.Ok();
            });
            await app.StartAsync();
            var address = ListeningAddress.Of(app.Services);
            return new FakeHub(app, new Uri(address, "/hub/api/users/ana/activity"), posts);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
