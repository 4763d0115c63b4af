using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using ProxyHost.Collections;
using ProxyHost.Proxy.Activation;
using ProxyHost.Security;
using ProxyHost.Proxy.Transports;
using ProxyHost.Supervision.Endpoints;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// Points a forwarded request at the endpoint its server was activated on, and shapes what the backend
/// sees: mappath, context-path headers, header overrides (which the client cannot pre-empt) and none
/// of ProxyHost's own credentials.
/// </summary>
internal sealed class ServerRequestTransform(string contextPath, bool absoluteUrl, EquatableMap mapPath, string? token, Func<string, string>? mapPathCallback = null)
    : RequestTransform
{
    private static readonly string[] ContextHeaders = ["X-Forwarded-Prefix", "X-Forwarded-Context", "X-ProxyContextPath"];

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<IServerActivationFeature>() is not { } activation)
        {
            return ValueTask.CompletedTask;
        }

        var endpoint = activation.Server.Endpoint;
        context.DestinationPrefix = endpoint.HttpOrigin;
        endpoint.RouteOver(context.ProxyRequest);

        string? path = null;
        if (mapPath.Count > 0 && mapPath.TryGetValue(context.Path.Value ?? "/", out var mapped))
        {
            context.Path = new PathString(mapped);
            path = context.Path.ToUriComponent();
        }
        else if (mapPathCallback is not null && mapPathCallback(context.Path.Value ?? "/") is var result && result != (context.Path.Value ?? "/"))
        {
            context.Path = new PathString(result.StartsWith('/') ? result : "/" + result);
            path = context.Path.ToUriComponent();
        }

        SetContextHeaders(context, absoluteUrl ? null : contextPath);

        StripCredentials(context, token);

        // Set the URI ourselves (YARP builds it only when a transform has not) from the target as sent,
        // so encodings reach the backend unchanged.
        path ??= ForwardedTarget.RawPath(context.HttpContext, absoluteUrl ? null : contextPath) ?? context.Path.ToUriComponent();
        context.ProxyRequest.RequestUri = new Uri(context.DestinationPrefix + path + ForwardedTarget.Query(context.HttpContext, token));

        foreach (var (name, value) in activation.Server.RequestHeaders)
        {
            RemoveHeader(context, name);
            AddHeader(context, name, value);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Replaces any client-sent context headers with <paramref name="contextPath"/>, or just removes them when it is null.</summary>
    internal static void SetContextHeaders(RequestTransformContext context, string? contextPath)
    {
        var sent = context.HttpContext.Request.Headers;
        foreach (var header in ContextHeaders)
        {
            // Looking in the client's headers first is cheaper than a removal from the outgoing message's.
            if (sent.ContainsKey(header))
            {
                RemoveHeader(context, header);
            }
            if (contextPath is not null)
            {
                AddHeader(context, header, contextPath);
            }
        }
    }

    /// <summary>
    /// Removes every <c>Authorization</c> value that carries <paramref name="token"/> (a tool's own, such as
    /// Basic, passes) and every ProxyHost cookie in any letter case from every <c>Cookie</c> value, also
    /// without a token: a browser sends other ProxyHost instances' cookies on this host too. The query token
    /// is left to <see cref="ForwardedTarget.Query"/>.
    /// </summary>
    internal static void StripCredentials(RequestTransformContext context, string? token)
    {
        var sent = context.HttpContext.Request.Headers;
        if (token is not null && sent.ContainsKey(HeaderNames.Authorization))
        {
            foreach (var authorization in TakeHeader(context, HeaderNames.Authorization))
            {
                if (!ProxyHostCredentials.AuthorizationCarriesToken(authorization, token))
                {
                    AddHeader(context, HeaderNames.Authorization, authorization);
                }
            }
        }

        if (sent.ContainsKey(HeaderNames.Cookie) && ProxyHostCookie.Without(TakeHeader(context, HeaderNames.Cookie)) is { Length: > 0 } kept)
        {
            AddHeader(context, HeaderNames.Cookie, kept);
        }
    }
}
