using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Security;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// ProxyHost's credentials, however they are spelled (the token parameter in any case or encoding, the
/// cookie in any case, repeated Cookie and Authorization headers), authenticate and never reach a
/// backend, over HTTP and websocket upgrades, on named servers and arbitrary ports; a backend cannot
/// set ProxyHost's cookie; the login redirect does not loop; two instances use different cookie names.
/// </summary>
public sealed class CredentialStrippingTests
{
    private const string Token = TestProxyHost.Token;

    /// <summary>A case: what the client sends (query and header lines), and what the backend must see of the query and cookies.</summary>
    public sealed record Spelling(string Name, string Query, string[] Headers, string BackendQuery, string[] BackendCookies, string? BackendAuthorization = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Spelling, string, bool> Spellings()
    {
        var data = new TheoryData<Spelling, string, bool>();
        foreach (var spelling in Cases())
        {
            foreach (var route in new[] { "app/", "proxy/{backend}/" })
            {
                data.Add(spelling, route, false);
                data.Add(spelling, route, true);
            }
        }
        return data;
    }

    private static IEnumerable<Spelling> Cases()
    {
        const string cookie = "{cookie}";
        return
        [
            new("?token=", $"?token={Token}&keep=1", [], "?keep=1", []),
            new("?TOKEN=", $"?TOKEN={Token}&keep=1", [], "?keep=1", []),
            new("?%74oken=", $"?%74oken={Token}&keep=1", [], "?keep=1", []),
            new("?ToKeN=", $"?keep=a%2Fb&ToKeN={Token}&x=y+z", [], "?keep=a%2Fb&x=y+z", []),
            new("?token= with an encoded value", $"?keep=1&token=%{(int)Token[0]:X2}{Token[1..]}", [], "?keep=1", []),
            new("?token= twice", $"?token={Token}&keep=1&TOKEN={Token}", [], "?keep=1", []),
            new("the cookie upper-cased", "?keep=1", [$"Cookie: theme=dark; {cookie}UPPER"], "?keep=1", ["theme=dark"]),
            new("the cookie among others", "", [$"Cookie: a=1; {cookie}; b=2"], "", ["a=1", "b=2"]),
            new("two Cookie headers", "", ["Cookie: theme=dark", $"Cookie: lang=en; {cookie}"], "", ["theme=dark", "lang=en"]),
            new("two Cookie headers, the cookie first", "", [$"Cookie: {cookie}", "Cookie: lang=en"], "", ["lang=en"]),
            new("other ProxyHosts' cookies", "", [$"Authorization: token {Token}", "Cookie: proxyhost-auth=x; Proxyhost-Token-1=y; keep=1"], "", ["keep=1"]),
            new("Authorization: Bearer", "", [$"Authorization: Bearer {Token}"], "", []),
            new("Authorization: TOKEN, two spaces", "", [$"Authorization: TOKEN  {Token}"], "", []),
            new("two Authorization headers, the tool's own kept", "", ["Authorization: Basic dXNlcjpwdw==", $"Authorization: token {Token}"], "", [], "Basic dXNlcjpwdw=="),
            new("two Authorization headers, the token first", "", [$"Authorization: bearer {Token}", "Authorization: Basic dXNlcjpwdw=="], "", [], "Basic dXNlcjpwdw=="),
        ];
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Credentials_HoweverSpelled_AuthenticateAndNeverReachTheBackend(Spelling spelling, string route, bool webSocket)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }]);
        var path = route.Replace("{backend}", backend.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            + (webSocket ? "ws/headers" : "echo") + spelling.Query;
        var headers = spelling.Headers.Select(h => h
            .Replace("{cookie}UPPER", $"{CookieName(host).ToUpperInvariant()}={ProxyHostCredentials.CookieValue(Token)}", StringComparison.Ordinal)
            .Replace("{cookie}", LoginCookie(host), StringComparison.Ordinal)).ToArray();

        var report = webSocket ? await ReportOverWebSocketAsync(host, path, headers) : await ReportOverHttpAsync(host, path, headers);

        report.Query.Should().Be(spelling.BackendQuery);
        report.RawTarget.Should().NotContainEquivalentOf(Token[1..]);
        var cookies = (report.Header("Cookie") ?? "").Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        cookies.Should().BeEquivalentTo(spelling.BackendCookies);
        report.Header("Authorization").Should().Be(spelling.BackendAuthorization);
    }

    [Fact]
    public async Task Login_TokenInAnotherCase_RedirectsOnceToAUrlThatDoesNotRedirectAgain()
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }]);

        foreach (var parameter in new[] { "token", "TOKEN", "%74oken", "ToKeN" })
        {
            var login = await RawHttp.SendAsync(host, "GET", $"/app/echo?{parameter}={Token}&keep=1", withToken: false);
            login.Status.Should().Be(302, parameter);
            var location = Header(login, "Location");
            location.Should().Be("/app/echo?keep=1", parameter);
            var setCookie = Header(login, "Set-Cookie")!;

            var next = await RawHttp.SendAsync(host, "GET", location!, ["Cookie: " + setCookie.Split(';')[0]], withToken: false);

            next.Status.Should().Be(200, $"the redirect target of ?{parameter}= is served, not redirected again");
            next.Body.Should().NotContain("proxyhost", "the backend sees no ProxyHost cookie");
        }
    }

    [Theory]
    [InlineData("app/")]
    [InlineData("proxy/{backend}/")]
    public async Task BackendSetCookie_NamingProxyHostsCookie_IsDroppedOthersPass(string route)
    {
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync([new ServerProcessDefinition { Name = "app", Port = backend.Port }]);
        var name = CookieName(host);
        string[] sent = [$"{name}=planted; Path=/", $"{name.ToUpperInvariant()}=planted", "proxyhost-auth=old", "theme=dark; Path=/", "lang=en"];
        var query = string.Join('&', sent.Select(c => "set_cookie=" + Uri.EscapeDataString(c)));
        var path = route.Replace("{backend}", backend.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(path + "page?" + query);
        using var socket = await WebSocketClient.ConnectAsync(host, path + "ws/headers?" + query);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Set-Cookie").Should().BeEquivalentTo(["theme=dark; Path=/", "lang=en"]);
        socket.HttpResponseHeaders!["Set-Cookie"].Should().BeEquivalentTo(["theme=dark; Path=/", "lang=en"], "the upgrade's Set-Cookies are filtered too");
    }

    [Fact]
    public async Task TwoInstances_UseDifferentCookieNames_AndDoNotAcceptEachOthersCookie()
    {
        await using var first = await TestProxyHost.StartAsync();
        await using var second = await TestProxyHost.StartAsync();

        var firstLogin = await RawHttp.SendAsync(first, "GET", $"/?token={Token}", withToken: false);
        var secondLogin = await RawHttp.SendAsync(second, "GET", $"/?token={Token}", withToken: false);
        var firstCookie = Header(firstLogin, "Set-Cookie")!.Split(';')[0];
        var secondCookie = Header(secondLogin, "Set-Cookie")!.Split(';')[0];

        firstCookie.Split('=')[0].Should().NotBe(secondCookie.Split('=')[0]);
        firstCookie.Should().Contain(first.Address.Port.ToString(CultureInfo.InvariantCulture));
        (await RawHttp.SendAsync(second, "GET", "/api/servers", ["Cookie: " + firstCookie], withToken: false)).Status.Should().Be(401);
        (await RawHttp.SendAsync(second, "GET", "/api/servers", ["Cookie: " + secondCookie], withToken: false)).Status.Should().Be(200);
    }

    private static string CookieName(TestProxyHost host) => ProxyHostCookie.Name(host.Address.Port);

    private static string LoginCookie(TestProxyHost host) => $"{CookieName(host)}={ProxyHostCredentials.CookieValue(Token)}";

    private static string? Header(RawHttp.Response response, string name) =>
        response.Head.Split("\r\n").Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();

    private static async Task<RequestReport> ReportOverHttpAsync(TestProxyHost host, string path, string[] headers)
    {
        // POST: a GET with the token in its query is answered by the login redirect, not forwarded.
        var response = await RawHttp.SendAsync(host, "POST", host.BaseUrl + path, headers, withToken: false);
        response.Status.Should().Be(200, response.Head + response.Body);
        var json = response.Body[response.Body.IndexOf('{', StringComparison.Ordinal)..(response.Body.LastIndexOf('}') + 1)];
        return JsonSerializer.Deserialize<RequestReport>(json, JsonSerializerOptions.Web)!;
    }

    private static async Task<RequestReport> ReportOverWebSocketAsync(TestProxyHost host, string path, string[] headers)
    {
        var (client, stream) = await WebSocketClient.ConnectRawAsync(host, path, headers);
        using (client)
        using (var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false }))
        {
            return JsonSerializer.Deserialize<RequestReport>((await socket.ReceiveMessageAsync()).Payload)!;
        }
    }
}
