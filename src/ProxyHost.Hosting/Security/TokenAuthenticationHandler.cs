using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// The one authentication scheme in front of every endpoint: the token in an <c>Authorization</c>
/// header (<c>token T</c> or <c>Bearer T</c>), in the auth cookie, or in <c>?token=</c>.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ProxyHostOptions> hostOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ProxyHostToken";

    private static readonly AuthenticateResult Authenticated = AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "proxyhost-user")], SchemeName)), SchemeName));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = hostOptions.Value.Token;
        if (token is null || Carries(Request, token))
        {
            return Task.FromResult(Authenticated);
        }
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ErrorPage.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Open the URL that 'proxyhost serve' printed (it ends with ?token=...), or send the header 'Authorization: token <token>'.");

    internal static bool Carries(HttpRequest request, string token)
    {
        if (request.Headers.Authorization.ToString() is { Length: > 0 } header
            && ProxyHostCredentials.IsToken(ProxyHostCredentials.FromAuthorizationHeader(header), token))
        {
            return true;
        }
        if (request.Cookies.TryGetValue(ProxyHostCredentials.CookieName, out var cookie)
            && ProxyHostCredentials.IsToken(cookie, ProxyHostCredentials.CookieValue(token)))
        {
            return true;
        }
        return request.Query.TryGetValue(ProxyHostCredentials.QueryParameter, out var query)
            && ProxyHostCredentials.IsToken(query.ToString(), token);
    }
}
