namespace ProxyHost.Apps.RequestServices;

/// <summary>
/// Answers one HTTP request to a request service. It runs on the owning instance's queue (so it sees the
/// app's state without locks) and is awaited there; the HTTP request waits without holding any thread.
/// </summary>
public delegate ValueTask<RequestServiceResponse> RequestServiceHandler(RequestServiceRequest request);

/// <summary>What a request-service handler is given (Narvi passes the first four as arguments).</summary>
public sealed record RequestServiceRequest
{
    /// <summary>Values of the pattern's <c>$name</c> segments, percent-decoded.</summary>
    public required IReadOnlyDictionary<string, string> PathParameters { get; init; }

    public required IReadOnlyDictionary<string, string> QueryParameters { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    public required string Method { get; init; }

    /// <summary>The session a session-scoped service belongs to; null otherwise.</summary>
    public string? SessionId { get; init; }
}

/// <summary>Narvi's (status, content, mime type, headers) answer.</summary>
public sealed record RequestServiceResponse(int StatusCode, byte[] Content, string ContentType, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static RequestServiceResponse Text(string text, int statusCode = 200, string contentType = "text/plain; charset=utf-8") =>
        new(statusCode, System.Text.Encoding.UTF8.GetBytes(text), contentType);

    public static RequestServiceResponse Json(string json, int statusCode = 200) => Text(json, statusCode, "application/json");
}
