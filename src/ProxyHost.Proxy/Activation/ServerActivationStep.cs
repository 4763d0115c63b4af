using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activity;
using ProxyHost.Proxy.Pages;
using ProxyHost.Proxy.RawSockets;
using ProxyHost.Proxy.Routing;
using ProxyHost.Proxy.Transforms;
using ProxyHost.Supervision.Lifecycle;
using Yarp.ReverseProxy.Forwarder;

namespace ProxyHost.Proxy.Activation;

/// <summary>
/// The proxy-pipeline step that makes a route's server ready before YARP forwards: it starts the
/// process lazily (one start shared by concurrent requests), answers 503 with the reason and the
/// output tail when it cannot, and turns a failed forward into a readable 502. Websockets to a
/// <c>raw_socket_proxy</c> server go to the <see cref="RawSocketBridge"/> instead of YARP.
/// </summary>
internal sealed partial class ServerActivationStep(
    IServerProcessSupervisor supervisor,
    IServerProcessCatalog catalog,
    RawSocketBridge rawSocketBridge,
    ServerActivityTracker activity,
    StartingPage startingPage,
    ILogger<ServerActivationStep> logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var metadata = context.GetRouteModel().Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.ServerName, out var name))
        {
            await next(context);
            return;
        }

        if (LeavesContextPath(context, metadata[ProxyMetadata.ContextPath]))
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status404NotFound, "Not found",
                "The path's '..' segments lead out of the server it names; ProxyHost does not resolve them into another server.");
            return;
        }

        // ASP.NET's catch-all route also matches the bare context path; tools expect the trailing slash.
        if (context.Request.Path.Value?.EndsWith('/') == false
            && string.Equals(context.Request.Path.Value, metadata[ProxyMetadata.ContextPath], StringComparison.OrdinalIgnoreCase))
        {
            RedirectToSlash(context);
            return;
        }

        var definition = catalog.Current.Find(name);
        if (definition is { RawSocketProxy: true } && !context.WebSockets.IsWebSocketRequest)
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Websocket only",
                $"'{name}' is a raw_socket_proxy backend: it only supports websocket connections.");
            return;
        }

        if (ExceedsBodyLimit(context, definition, out var bodyLimit))
        {
            await WriteBodyTooLargeAsync(context, name, bodyLimit);
            return;
        }

        // Open from here on: a request waiting for its server to start is activity too.
        using var activityScope = activity.BeginRequest(name);
        if (startingPage.ShouldServe(context, name))
        {
            await startingPage.WriteAsync(context, name);
            return;
        }

        ActiveServer server;
        try
        {
            server = await supervisor.EnsureRunningAsync(name, context.RequestAborted);
        }
        catch (ServerUnavailableException e)
        {
            await WriteUnavailableAsync(context, e);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (definition is { RawSocketProxy: true })
        {
            await rawSocketBridge.BridgeAsync(context, definition, server);
            return;
        }

        context.Features.Set<IServerActivationFeature>(new ServerActivationFeature(server));
        await next(context);

        if (context.Features.Get<WebSocketRefusedFeature>() is { } refused && !context.Response.HasStarted)
        {
            await ErrorPage.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway",
                $"'{name}' answered the websocket request with {refused.BackendStatusCode} instead of accepting it; is this the right path?");
        }
        else if (context.GetForwarderErrorFeature() is { } clientError && ClientFault(clientError.Exception) is { } fault && !context.Response.HasStarted)
        {
            await (fault.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? WriteBodyTooLargeAsync(context, name, context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize)
                : ErrorPage.WriteAsync(context, fault.StatusCode, "Bad request", $"The request to '{name}' broke a limit: {fault.Message}"));
        }
        else if (context.GetForwarderErrorFeature() is { } error && !context.Response.HasStarted)
        {
            Log.ForwardFailed(logger, name, server.Endpoint.ToString(), error.Error, Reason(error.Exception));
            await ErrorPage.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway",
                $"'{name}' did not answer this request ({Describe(error.Error)}). It may have crashed or closed the connection; try again.");
        }
    }

    /// <summary>
    /// ASP.NET resolves <c>..</c> (also <c>%2e%2e</c>) before routing, so <c>/a/%2e%2e/b/x</c> would reach
    /// server b. True when the path as sent does not start with the matched server's context path.
    /// </summary>
    private static bool LeavesContextPath(HttpContext context, string contextPath)
    {
        var path = ForwardedTarget.AsSentPath(context);
        if (!ForwardedTarget.HasDotSegment(path))
        {
            return false;
        }
        var decoded = Uri.UnescapeDataString(path);
        return !decoded.StartsWith(contextPath + "/", StringComparison.OrdinalIgnoreCase)
            || ForwardedTarget.HasDotSegment(decoded[contextPath.Length..]) && !ResolvesWithin(decoded[(contextPath.Length + 1)..]);
    }

    private static bool ResolvesWithin(string relative)
    {
        var depth = 0;
        foreach (var segment in relative.Split('/'))
        {
            depth += segment switch { ".." => -1, "." or "" => 0, _ => 1 };
            if (depth < 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Applies the server's <c>max_request_body_size</c>; true when the declared length already exceeds the limit.</summary>
    private static bool ExceedsBodyLimit(HttpContext context, ServerProcessDefinition? definition, out long? limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false } && definition?.MaxRequestBodySize is { } max)
        {
            feature.MaxRequestBodySize = max;
        }
        limit = feature?.MaxRequestBodySize;
        return context.Request.ContentLength > limit;
    }

    /// <summary>
    /// The client's fault behind a failed forward (a body over the size limit or slower than the minimum
    /// rate), which Kestrel raises while YARP reads the body and YARP reports wrapped in its own exceptions.
    /// </summary>
    private static BadHttpRequestException? ClientFault(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException fault)
            {
                return fault;
            }
        }
        return null;
    }

    private static Task WriteBodyTooLargeAsync(HttpContext context, string name, long? limit)
    {
        // The body is not read; the connection cannot be reused for a next request.
        context.Response.Headers.Connection = "close";
        return ErrorPage.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"'{name}' accepts request bodies of at most {limit} bytes (its max_request_body_size).");
    }

    private static void RedirectToSlash(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Redirect(context.Request.PathBase + context.Request.Path + "/" + context.Request.QueryString);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        }
    }

    private Task WriteUnavailableAsync(HttpContext context, ServerUnavailableException e)
    {
        if (e.Reason == ServerUnavailableReason.Unknown)
        {
            return ErrorPage.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", e.Message);
        }
        if (e.RetryAt is { } retryAt)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - DateTimeOffset.UtcNow).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return ErrorPage.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"{e.ServerName} is unavailable", e.Message, e.OutputTail,
            e.Exit, startingPage.ApiUrl(e.ServerName, "restart"));
    }

    // A failed connect comes wrapped with the URL's host and port, which for a Unix socket is a
    // meaningless "localhost:80"; the endpoint is logged beside the reason instead.
    private static string? Reason(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError, InnerException: { } cause } ? cause.Message : exception?.Message;

    private static string Describe(ForwarderError error) => error switch
    {
        ForwarderError.Request or ForwarderError.RequestCreation => "the connection to it failed",
        ForwarderError.RequestTimedOut or ForwarderError.ResponseBodyCanceled => "it timed out",
        ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => "the websocket to it failed",
        _ => error.ToString(),
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.ForwardFailed, Level = LogLevel.Warning, Message = "{Server}: forwarding to {Endpoint} failed ({Error}): {Reason}")]
        public static partial void ForwardFailed(ILogger logger, string server, string endpoint, ForwarderError error, string? reason);
    }
}
