using System.Net.Http.Headers;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>Requests the security tests send: any method, optionally as a websocket upgrade, with an Origin.</summary>
internal static class SecurityRequests
{
    /// <summary>Sends and returns once the headers arrived, so streaming endpoints do not hold the test.</summary>
    /// <param name="host">The <c>Host</c> header, as a browser on a page of that name would send it; null sends the address connected to.</param>
    public static Task<HttpResponseMessage> SendAsync(
        HttpClient client, string method, string path, bool webSocketUpgrade = false, string? origin = null, HttpContent? content = null, string? host = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        if (webSocketUpgrade)
        {
            request.Headers.Connection.Add("Upgrade");
            request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
            request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
            request.Headers.Add("Sec-WebSocket-Version", "13");
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (content is null && method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new ByteArrayContent([]);
        }
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
    }
}
