using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using ProxyHost.Proxy.Pages;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Answers a failed authorization policy (one an embedding application put on its endpoint) with ProxyHost's
/// 401 or 403 page. ASP.NET's default would ask an authentication scheme to challenge, and ProxyHost registers none.
/// </summary>
internal sealed class TokenAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            return next(context);
        }
        return authorizeResult.Challenged
            ? TokenAuthorizationMiddleware.ChallengeAsync(context)
            : ErrorPage.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", "This endpoint's authorization policy does not admit this request.");
    }
}
