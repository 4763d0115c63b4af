using System.Net;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Security;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Route by route (a proxied server over HTTP and websocket, the raw-socket bridge, arbitrary ports,
/// the API, the pages, metrics), every way of presenting credentials: the accepted forms get through,
/// every near miss gets 401.
/// </summary>
public sealed class CredentialMatrixTests
{
    public static TheoryData<string, bool> Routes() => new()
    {
        { "app/page", false },
        { "app/ws", true },
        { "vnc/", true },
        { "proxy/{backend}/page", false },
        { "proxy/{backend}/ws", true },
        { "api/servers", false },
        { "", false },
        { "_/dashboard", false },
        { "metrics", false },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_EachCredentialForm_AcceptedOnlyWhenExact(string route, bool webSocket)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var raw = SwapCaseEchoServer.StartTcp();
        await using var host = await TestProxyHost.StartAsync(
            [new ServerProcessDefinition { Name = "app", Port = backend.Port }, new ServerProcessDefinition { Name = "vnc", Port = raw.Port, RawSocketProxy = true }]);
        var path = route.Replace("{backend}", backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var token = TestProxyHost.Token;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var cookieName = ProxyHostCookie.Name(host.Address.Port);

        var refused = new (string Name, string? Authorization, string? Cookie, string Query)[]
        {
            ("nothing", null, null, ""),
            ("wrong token", "token not-" + token, null, ""),
            ("a prefix of the token", "token " + token[..^1], null, ""),
            ("the token and more", "token " + token + "x", null, ""),
            ("another scheme", "Basic " + token, null, ""),
            ("scheme only", "token", null, ""),
            ("the raw token as the cookie", null, $"{cookieName}={token}", ""),
            ("a cookie of another name", null, $"other={ProxyHostCredentials.CookieValue(token)}", ""),
            ("another instance's cookie", null, $"{ProxyHostCookie.Name(host.Address.Port + 1)}={ProxyHostCredentials.CookieValue(token)}", ""),
            ("the old cookie name", null, $"proxyhost-auth={ProxyHostCredentials.CookieValue(token)}", ""),
            ("wrong query token", null, null, $"{separator}token=nope"),
        };
        var accepted = new (string Name, string? Authorization, string? Cookie, string Query)[]
        {
            ("token header", "token " + token, null, ""),
            ("Bearer header", "Bearer " + token, null, ""),
            ("the login cookie", null, $"{cookieName}={ProxyHostCredentials.CookieValue(token)}", ""),
            ("query token", null, null, $"{separator}token={token}"),
        };

        using var client = host.CreateClient(withToken: false);
        foreach (var form in refused)
        {
            using var response = await SendAsync(client, path + form.Query, webSocket, form.Authorization, form.Cookie);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"{route} with {form.Name}");
        }
        foreach (var form in accepted)
        {
            using var response = await SendAsync(client, path + form.Query, webSocket, form.Authorization, form.Cookie);
            response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized, $"{route} with {form.Name}");
            if (webSocket && form.Query.Length == 0)
            {
                response.StatusCode.Should().Be(HttpStatusCode.SwitchingProtocols, $"{route} with {form.Name}");
            }
        }
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, bool webSocket, string? authorization, string? cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (webSocket)
        {
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
            request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            request.Headers.Add("Sec-WebSocket-Version", "13");
        }
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ProxyHost.Tests.TestTimeouts.DefaultToken());
    }
}
