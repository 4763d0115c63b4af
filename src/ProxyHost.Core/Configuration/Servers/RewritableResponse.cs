using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ProxyHost.Configuration;

/// <summary>
/// Changes a buffered backend response (<c>rewrite_response</c>): it may set the status, reason, headers
/// and body of <paramref name="response"/>; rewriters run in order, each seeing the previous one's result.
/// </summary>
public delegate ValueTask ResponseRewriter(RewritableResponse response, CancellationToken cancellationToken);

/// <summary>
/// A backend response held in memory for <see cref="ResponseRewriter"/>s, as jupyter-server-proxy's
/// <c>RewritableResponse</c>: mutable status, reason, headers and body, plus what the request was.
/// </summary>
public sealed class RewritableResponse
{
    /// <summary>The response status; changing it also changes a standard <see cref="ReasonPhrase"/> to the new status's.</summary>
    public int StatusCode { get; set; }

    /// <summary>The reason phrase, or null for the standard one.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>Response headers, case-insensitive. Content-Length is recomputed from <see cref="Body"/>.</summary>
    public IDictionary<string, StringValues> Headers { get; } = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body bytes exactly as the backend sent them (still compressed if it used Content-Encoding).</summary>
    public byte[] Body { get; set; } = [];

    /// <summary>The client's request.</summary>
    public required HttpRequest Request { get; init; }

    /// <summary>The backend host: <c>localhost</c> for named servers.</summary>
    public required string Host { get; init; }

    /// <summary>The backend port (0 for a Unix socket).</summary>
    public int Port { get; init; }

    /// <summary>The path and query the backend received (after prefix stripping and mappath).</summary>
    public required string Path { get; init; }

    /// <summary>The status the backend sent, before any rewriter ran.</summary>
    public int OriginalStatusCode { get; init; }
}
