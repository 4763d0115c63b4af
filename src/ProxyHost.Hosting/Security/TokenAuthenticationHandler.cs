using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// The one authentication scheme in front of every endpoint: the token in an <c>Authorization</c>
/// header (<c>token T</c> or <c>Bearer T</c>), in the auth cookie, or in <c>?token=</c>.
/// </summary>
/// <remarks>
/// A plain <see cref="IAuthenticationHandler"/> rather than <c>AuthenticationHandler&lt;T&gt;</c>: it runs on
/// every proxied request, and the base class costs an options lookup, a logger and several allocations each time.
/// </remarks>
internal sealed class TokenAuthenticationHandler(IOptions<ProxyHostOptions> hostOptions) : IAuthenticationHandler
{
    public const string SchemeName = "ProxyHostToken";

    private static readonly Task<AuthenticateResult> Authenticated = Task.FromResult(AuthenticateResult.Success(
        new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "proxyhost-user")], SchemeName)), SchemeName)));

    private static readonly Task<AuthenticateResult> Anonymous = Task.FromResult(AuthenticateResult.NoResult());

    private HttpContext _context = null!;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _context = context;
        return Task.CompletedTask;
    }

    public Task<AuthenticateResult> AuthenticateAsync()
    {
        var token = hostOptions.Value.Token;
        return token is null || Carries(_context.Request, token) ? Authenticated : Anonymous;
    }

    public Task ChallengeAsync(AuthenticationProperties? properties) =>
        ErrorPage.WriteAsync(_context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Open the URL that 'proxyhost serve' printed (it ends with ?token=...), or send the header 'Authorization: token <token>'.");

    public Task ForbidAsync(AuthenticationProperties? properties)
    {
        _context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

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
