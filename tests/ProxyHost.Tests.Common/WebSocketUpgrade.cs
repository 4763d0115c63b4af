namespace ProxyHost.Tests;

/// <summary>Websocket upgrade requests sent as plain HTTP, so a test can read a refusal's status and body.</summary>
public static class WebSocketUpgrade
{
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        return client.SendAsync(request).DefaultTimeout();
    }
}
