namespace ProxyHost.Templating;

/// <summary>The values placeholders expand to for one server start.</summary>
/// <param name="Port">The TCP port, or 0 when a Unix socket is used.</param>
/// <param name="UnixSocket">The socket path, or empty for TCP.</param>
/// <param name="BaseUrl">ProxyHost's base URL, starting and ending with '/'.</param>
public sealed record TemplateValues(int Port, string UnixSocket, string BaseUrl);
