using System.Net;
using System.Net.Sockets;
using System.Text;
using ProxyHost.Integration.Tests.Infrastructure;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Sends a request byte for byte on its own connection (no client library normalizes the target,
/// so <c>..</c>, <c>%2e</c> and backslashes arrive as written) and reads the whole response.
/// </summary>
internal static class RawHttp
{
    public sealed record Response(int Status, string Head, string Body);

    /// <param name="hostHeader">The <c>Host</c> header's value as sent; null sends the test host's own address.</param>
    public static async Task<Response> SendAsync(
        TestProxyHost host, string method, string target, IEnumerable<string>? headers = null, bool withToken = true, string? hostHeader = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Address.Port).DefaultTimeout();
        var stream = client.GetStream();
        var request = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(hostHeader ?? host.Address.Authority).Append("\r\n")
            .Append("Connection: close\r\n");
        if (withToken)
        {
            request.Append("Authorization: token ").Append(TestProxyHost.Token).Append("\r\n");
        }
        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            request.Append("Content-Length: 0\r\n");
        }
        foreach (var header in headers ?? [])
        {
            request.Append(header).Append("\r\n");
        }
        request.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request.ToString())).DefaultTimeout();

        using var received = new MemoryStream();
        await stream.CopyToAsync(received).DefaultTimeout();
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var code) ? code : 0;
        return new Response(status, head, split < 0 ? "" : text[(split + 4)..]);
    }
}
