using System.Net;
using ProxyHost.Apps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxyHost.Apps.Tests;

/// <summary>Request services: path parameters, methods, session scope, removal, failures.</summary>
public sealed class RequestServiceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private NarviTestServer _server = null!;
    private HttpClient _client = null!;
    private NarviClient _session = null!;

    public async Task InitializeAsync()
    {
        _server = await NarviTestServer.StartAsync(n => n.RegisterApp("req", n.RegisterService("w", "req", typeof(RequestingService).FullName!)), output);
        _client = _server.CreateClient();
        _session = await _server.ConnectAsync("/narvi/w/req/s1/connect");
    }

    public async Task DisposeAsync()
    {
        await _session.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PathParameters_AndQuery_ReachTheHandler()
    {
        (await _client.GetStringAsync("/narvi/w/req/s1/items/42?q=x%20y").DefaultTimeout()).Should().Be("item:42:x y:1");
        (await _client.GetStringAsync("/narvi/w/req/s1/items/7").DefaultTimeout()).Should().Be("item:7::2", "handlers run on the instance and see its state");
        (await _client.GetStringAsync("/narvi/w/req/s1/files/a/b/c.txt").DefaultTimeout()).Should().Be("path:a/b/c.txt");
    }

    [Fact]
    public async Task Methods_AreMatched_OtherMethodsGet405()
    {
        using var put = await _client.PutAsync("/narvi/w/req/s1/items/9", new ByteArrayContent([1, 2, 3])).DefaultTimeout();
        put.StatusCode.Should().Be(HttpStatusCode.Created);
        put.Headers.GetValues("X-Item").Should().Equal("9");
        (await put.Content.ReadAsByteArrayAsync()).Should().Equal(1, 2, 3);

        using var delete = await _client.DeleteAsync("/narvi/w/req/s1/items/9").DefaultTimeout();
        delete.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        delete.Content.Headers.Allow.Should().BeEquivalentTo("GET", "PUT");
    }

    [Fact]
    public async Task ServicesBelongToTheirInstance()
    {
        using var other = await _client.GetAsync("/narvi/w/req/another-id/items/1").DefaultTimeout();
        other.StatusCode.Should().Be(HttpStatusCode.NotFound, "no instance runs under that id, so it has no request services");
        using var unknown = await _client.GetAsync("/narvi/w/req/s1/nothing/here").DefaultTimeout();
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SessionScoped_IsServedUnderSessionPath_AndRemovedWithTheSession()
    {
        var url = await _session.ReceiveTextAsync();
        url.Should().Be($"session/{_session.SessionId}/mine/$x");
        var concrete = url.Replace("$x", "hello", StringComparison.Ordinal);
        (await _client.GetStringAsync("/narvi/w/req/s1/" + concrete).DefaultTimeout()).Should().Be($"{_session.SessionId}:hello");

        using var wrongSession = await _client.GetAsync($"/narvi/w/req/s1/session/{Guid.NewGuid()}/mine/hello").DefaultTimeout();
        wrongSession.StatusCode.Should().Be(HttpStatusCode.NotFound);

        var departed = RequestingService.WhenSessionClosed(_session.SessionId);
        await _session.CloseAsync();
        await departed.DefaultTimeout();

        using var afterClose = await _client.GetAsync("/narvi/w/req/s1/" + concrete).DefaultTimeout();
        afterClose.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RemoveRequestService_TakesItAway()
    {
        (await _session.ReceiveTextAsync()).Should().StartWith("session/");
        (await _client.GetStringAsync("/narvi/w/req/s1/removable").DefaultTimeout()).Should().Be("here");
        await _session.SendTextAsync("remove");
        (await _session.ReceiveTextAsync()).Should().Be("removed");
        (await _client.GetAsync("/narvi/w/req/s1/removable").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AsyncHandler_IsAwaited_AndAFailingHandlerIs500()
    {
        (await _client.GetStringAsync("/narvi/w/req/s1/slow").DefaultTimeout()).Should().Be("slow done");
        (await _client.GetAsync("/narvi/w/req/s1/fails").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        (await _client.GetStringAsync("/narvi/w/req/s1/items/1").DefaultTimeout()).Should().StartWith("item:1:", "the instance carries on");
    }

    [Fact]
    public async Task Head_IsAnsweredLikeGet_WithoutABody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/narvi/w/req/s1/items/5");
        using var response = await _client.SendAsync(request).DefaultTimeout();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentLength.Should().BeGreaterThan(0);
        (await response.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
    }
}
