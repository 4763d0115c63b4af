using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Examples;

/// <summary>A kernel's websocket as Jupyter Notebook 6 speaks it: JSON messages of the Jupyter messaging protocol (v5).</summary>
internal sealed class JupyterKernelClient(ClientWebSocket socket) : IDisposable
{
    private readonly string _session = Guid.NewGuid().ToString("N");

    public static async Task<JupyterKernelClient> ConnectAsync(Uri channels, string proxyHostToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + proxyHostToken);
        await socket.ConnectAsync(channels, CancellationToken.None).DefaultTimeout();
        return new JupyterKernelClient(socket);
    }

    /// <summary>Runs <paramref name="code"/> and returns what it printed to stdout.</summary>
    public async Task<string> ExecuteAsync(string code)
    {
        var id = Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msg_id"] = id, ["username"] = "test", ["session"] = _session, ["msg_type"] = "execute_request",
                ["version"] = "5.3", ["date"] = DateTimeOffset.UtcNow.ToString("O"),
            },
            ["parent_header"] = new JsonObject(),
            ["metadata"] = new JsonObject(),
            ["content"] = new JsonObject
            {
                ["code"] = code, ["silent"] = false, ["store_history"] = false, ["user_expressions"] = new JsonObject(),
                ["allow_stdin"] = false, ["stop_on_error"] = true,
            },
            ["buffers"] = new JsonArray(),
            ["channel"] = "shell",
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

        var printed = new StringBuilder();
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveTextAsync(deadline.Token))!;
            if ((string?)message["parent_header"]?["msg_id"] != id)
            {
                continue;
            }
            var type = (string?)message["header"]?["msg_type"];
            var content = message["content"];
            if (type == "stream" && (string?)content?["name"] == "stdout")
            {
                printed.Append((string?)content["text"]);
            }
            else if (type == "error")
            {
                throw new InvalidOperationException("the kernel reported an error: " + content?.ToJsonString());
            }
            else if (type == "status" && (string?)content?["execution_state"] == "idle")
            {
                return printed.ToString();
            }
        }
    }

    public void Dispose() => socket.Dispose();

    private async Task<string> ReceiveTextAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"the kernel's websocket closed: {result.CloseStatus} {result.CloseStatusDescription}");
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }
}
