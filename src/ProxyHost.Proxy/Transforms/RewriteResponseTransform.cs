using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using ProxyHost.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace ProxyHost.Proxy.Transforms;

/// <summary>
/// Buffers a backend response and runs <see cref="ResponseRewriter"/>s over it in order. Added only for
/// servers (or <c>proxy/…</c> hosts) that have rewriters, so every other response streams untouched.
/// Websocket upgrades and <c>text/event-stream</c> responses are never buffered.
/// </summary>
internal sealed class RewriteResponseTransform(IReadOnlyList<ResponseRewriter> rewriters, Func<HttpContext, (string Host, int Port)> backend)
    : ResponseTransform
{
    public override async ValueTask ApplyAsync(ResponseTransformContext context)
    {
        if (context.ProxyResponse is not { } proxyResponse || rewriters.Count == 0
            || (int)proxyResponse.StatusCode == StatusCodes.Status101SwitchingProtocols
            || proxyResponse.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            return;
        }

        var http = context.HttpContext;
        var cancellationToken = http.RequestAborted;
        var (host, port) = backend(http);
        var response = new RewritableResponse
        {
            StatusCode = (int)proxyResponse.StatusCode,
            ReasonPhrase = proxyResponse.ReasonPhrase,
            Body = await proxyResponse.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
            Request = http.Request,
            Host = host,
            Port = port,
            Path = proxyResponse.RequestMessage?.RequestUri?.PathAndQuery ?? http.Request.Path.ToString(),
            OriginalStatusCode = (int)proxyResponse.StatusCode,
        };
        foreach (var header in http.Response.Headers)
        {
            response.Headers[header.Key] = header.Value;
        }

        foreach (var rewriter in rewriters)
        {
            var before = response.StatusCode;
            await rewriter(response, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != before
                && (response.ReasonPhrase is null || response.ReasonPhrase == ReasonPhrases.GetReasonPhrase(before)))
            {
                response.ReasonPhrase = ReasonPhrases.GetReasonPhrase(response.StatusCode);
            }
        }

        context.SuppressResponseBody = true;
        http.Response.Headers.Clear();
        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }
        http.Response.Headers.Remove("Transfer-Encoding");
        http.Response.StatusCode = response.StatusCode;
        if (http.Features.Get<IHttpResponseFeature>() is { } feature && response.ReasonPhrase is { } reason)
        {
            feature.ReasonPhrase = reason;
        }
        http.Response.ContentLength = response.Body.Length;
        await http.Response.Body.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
    }
}
