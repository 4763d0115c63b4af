using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Proxy.Routing;
using ProxyHost.Proxy.Transforms;
using ProxyHost.Proxy.Transports;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ProxyHost.Proxy.ArbitraryPorts;

/// <summary>
/// Serves <c>&lt;base_url&gt;proxy/…</c>: parses the URL by the strict grammar (404 otherwise), checks the
/// host allowlist (403, host HTML-escaped), and forwards HTTP and websockets with YARP's
/// <see cref="IHttpForwarder"/> through one reused client, shaping the request like a named server's.
/// </summary>
internal sealed partial class ArbitraryPortProxy : IDisposable
{
    private readonly IHttpForwarder _forwarder;
    private readonly IOptions<ProxyHostOptions> _options;
    private readonly HostAllowlistSource _allowlist;
    private readonly ILogger<ArbitraryPortProxy> _logger;
    private readonly HttpMessageInvoker _client;
    private readonly HttpTransformer _transformer;
    private readonly ForwarderRequestConfig _requestConfig = new()
    {
        ActivityTimeout = ServerRouteFactory.DefaultActivityTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public ArbitraryPortProxy(
        IHttpForwarder forwarder, ITransformBuilder transforms, IOptions<ProxyHostOptions> options, HostAllowlistSource allowlist,
        ILogger<ArbitraryPortProxy> logger)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        _forwarder = forwarder;
        _options = options;
        _allowlist = allowlist;
        _logger = logger;
        _client = new HttpMessageInvoker(new IdempotentRetryHandler(new SocketsHttpHandler
        {
            ConnectCallback = EndpointConnector.ConnectAsync,
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            EnableMultipleHttp2Connections = true,
        }));
        var token = options.Value.Token;
        _transformer = transforms.Create(context =>
        {
            context.UseDefaultForwarders = false;
            context.CopyRequestHeaders = true;
            context.AddOriginalHost(true);
            context.AddXForwardedFor();
            context.AddXForwardedProto();
            context.AddXForwardedHost();
            context.RequestTransforms.Add(ConnectionHeaderTransform.Instance);
            context.RequestTransforms.Add(new ArbitraryPortRequestTransform(token));
            context.ResponseTransforms.Add(new ArbitraryPortLocationTransform());
            if (options.Value.ProxyRewriteResponse.Count > 0)
            {
                context.ResponseTransforms.Add(new RewriteResponseTransform(options.Value.ProxyRewriteResponse, static http =>
                    http.Features.Get<ArbitraryPortTarget>() is { } target ? (target.Host, target.Port) : ("localhost", 0)));
            }
            context.ResponseTransforms.Add(ProxyHostCookieResponseTransform.Instance);
        });
    }

    /// <summary>Handles one request whose path starts with <c>&lt;base_url&gt;proxy/</c>.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = _options.Value;
        if (!options.ArbitraryPorts)
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "Proxying to arbitrary ports is turned off on this ProxyHost.");
            return;
        }

        var target = ParseTarget(options.BaseUrl, RawPath(context));
        if (target is not null && LeavesTarget(context, options.BaseUrl, target))
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status404NotFound, "Not found",
                "The path's '..' segments lead out of the port it names; ProxyHost does not resolve them into another one.");
            return;
        }
        if (target is null)
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status404NotFound, "Not found",
                "Use proxy/<port>/, proxy/absolute/<port>/, proxy/<host>:<port>/ or proxy/absolute/<host>:<port>/ with a port of digits only.");
            return;
        }
        if (target.HostGiven && !IsAllowed(target.Host, options))
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"Host '{target.Host}' is not allowed. Add it to host_allowlist in the config file to proxy to it.");
            return;
        }

        context.Features.Set(target);
        var destination = target.Destination.GetLeftPart(UriPartial.Authority);
        var error = await _forwarder.SendAsync(context, destination, _client, _requestConfig, _transformer);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            Log.ForwardFailed(_logger, destination, error);
            await ErrorPage.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway",
                $"Nothing answered on {target.Host}:{target.Port} ({error}).");
        }
    }

    public void Dispose() => _client.Dispose();

    private bool IsAllowed(string host, ProxyHostOptions options) =>
        options.HostAllowed?.Invoke(host) ?? HostAllowlist.Matches(_allowlist.FromConfigFile ?? options.HostAllowlist, host);

    private static ArbitraryPortTarget? ParseTarget(string baseUrl, string path)
    {
        var proxyPrefix = baseUrl + "proxy/";
        return path.StartsWith(proxyPrefix, StringComparison.Ordinal) ? ArbitraryPortTarget.Parse(baseUrl, path[proxyPrefix.Length..]) : null;
    }

    /// <summary>
    /// ASP.NET resolves <c>..</c> (also <c>%2e%2e</c>) before routing, so <c>proxy/1/../2/</c> would reach
    /// port 2. True when the path as sent names another target (or none) than the resolved one.
    /// </summary>
    private static bool LeavesTarget(HttpContext context, string baseUrl, ArbitraryPortTarget resolved)
    {
        var path = ForwardedTarget.AsSentPath(context);
        if (!ForwardedTarget.HasDotSegment(path))
        {
            return false;
        }
        var asSent = ParseTarget(baseUrl, path);
        return asSent is null || asSent.Port != resolved.Port || asSent.Absolute != resolved.Absolute
            || !string.Equals(asSent.Host, resolved.Host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The path as sent when it has no dot segments; otherwise ASP.NET's resolved path (which then must still parse).</summary>
    internal static string RawPath(HttpContext context)
    {
        var path = ForwardedTarget.AsSentPath(context);
        return ForwardedTarget.HasDotSegment(path) ? (context.Request.PathBase + context.Request.Path).ToUriComponent() : path;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.ArbitraryPortForwardFailed, Level = LogLevel.Warning, Message = "proxy to {Destination} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string destination, ForwarderError error);
    }
}
