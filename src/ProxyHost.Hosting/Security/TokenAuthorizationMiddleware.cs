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

    /// <summary>
    /// Every value of repeated <c>Authorization</c> and <c>Cookie</c> headers counts; the cookie is this
    /// instance's (<see cref="ProxyHostCookie.Name"/>) in any letter case; the query parameter in any
    /// spelling <see cref="TokenQuery"/> accepts. The forwarding transforms strip exactly these.
    /// </summary>
    internal static bool Carries(HttpRequest request, string token)
    {
        foreach (var authorization in request.Headers.Authorization)
        {
            if (ProxyHostCredentials.AuthorizationCarriesToken(authorization, token))
            {
                return true;
            }
        }
        var cookies = request.Headers.Cookie;
        if (cookies.Count > 0
            && ProxyHostCookie.Carries(cookies, ProxyHostCookie.Name(request.HttpContext.Connection.LocalPort), token))
        {
            return true;
        }
        return TokenQuery.Carries(request.QueryString.Value, token);
    }
}
