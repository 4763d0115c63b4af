using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Pages;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Answers only requests whose <c>Host</c> is one ProxyHost is served under (<see cref="ServedHosts"/>): 400 for a
/// malformed <c>Host</c>, 403 for any other host. This stops DNS rebinding, where a page on a name its attacker
/// points at 127.0.0.1 is same-origin to ProxyHost, passes the Origin check, and with <c>--no-token</c> could use
/// every server. It runs first, before the token check, for every request and websocket upgrade.
/// </summary>
internal sealed partial class HostCheckMiddleware(RequestDelegate next, IOptions<ProxyHostOptions> options, ILogger<HostCheckMiddleware> logger)
{
    private readonly ServedHosts _served = new(options.Value);

    /// <summary>A client sends the same <c>Host</c> on every request; once admitted, the same header passes without parsing.</summary>
    private volatile string? _lastServed;

    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Host.ToString();
        if (ReferenceEquals(header, _lastServed) || string.Equals(header, _lastServed, StringComparison.Ordinal))
        {
            return next(context);
        }
        if (!RequestHost.TryParse(header, out var host))
        {
            Log.Malformed(logger, context.Request.Path.Value ?? "");
            return ErrorPage.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Host header",
                "The request's Host header is not a host name or IP address with an optional port.");
        }
        var served = _served.ServesAsync(host, context.Connection.LocalIpAddress);
        return served.IsCompletedSuccessfully ? Continue(context, header, host, served.Result) : ContinueAsync(context, header, host, served);
    }

    private async Task ContinueAsync(HttpContext context, string header, RequestHost host, ValueTask<bool> served) =>
        await Continue(context, header, host, await served.ConfigureAwait(false)).ConfigureAwait(false);

    private Task Continue(HttpContext context, string header, RequestHost host, bool served)
    {
        if (served)
        {
            _lastServed = header;
            return next(context);
        }
        Log.Refused(logger, host.Name, context.Request.Path.Value ?? "");
        return ErrorPage.WriteAsync(context, StatusCodes.Status403Forbidden, "Host not served",
            $"ProxyHost is not served under host '{host.Name}'. If that is this machine's name, restart with --allow-host {host.Name}.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.HostRefused, Level = LogLevel.Warning, Message = "Refused a request for {Path} under host {Host}; --allow-host admits other hosts")]
        public static partial void Refused(ILogger logger, string host, string path);

        [LoggerMessage(EventId = HostingEventIds.HostMalformed, Level = LogLevel.Warning, Message = "Refused a request for {Path} with a malformed Host header")]
        public static partial void Malformed(ILogger logger, string path);
    }
}
