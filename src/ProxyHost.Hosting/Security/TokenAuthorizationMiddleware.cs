using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// The one rule in front of every endpoint, and in front of requests no endpoint matches: the token in an
/// <c>Authorization</c> header (<c>token T</c> or <c>Bearer T</c>), in the auth cookie, or in <c>?token=</c>.
/// Only endpoints marked <see cref="IAllowAnonymous"/> (<c>--metrics-no-auth</c>) are exempt.
/// </summary>
/// <remarks>
/// ASP.NET's authentication and authorization middleware did this through a fallback policy, at about 5 µs per
/// proxied request (a request scope, a handler per request, policy evaluation): a tenth of the proxy hop.
/// A request that passes gets <see cref="HttpContext.User"/> set, so <c>RequireAuthorization()</c> policies that
/// an embedding application adds still evaluate in ASP.NET's authorization middleware, which runs after this.
/// </remarks>
internal sealed class TokenAuthorizationMiddleware(RequestDelegate next, IOptions<ProxyHostOptions> options)
{
    private const string AuthenticationType = "ProxyHostToken";

    private static readonly ClaimsPrincipal User = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "proxyhost-user")], AuthenticationType));

    private readonly string? _token = options.Value.Token;

    public Task InvokeAsync(HttpContext context)
    {
        if (_token is null || Carries(context.Request, _token))
        {
            if (context.Features.Get<ClientConnectionSlot>() is { } slot && !slot.TryAuthenticate())
            {
                context.Abort();
                return Task.CompletedTask;
            }
            context.User = User;
            return next(context);
        }
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return next(context);
        }
        return ChallengeAsync(context);
    }

    internal static Task ChallengeAsync(HttpContext context) =>
        ErrorPage.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required",
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
