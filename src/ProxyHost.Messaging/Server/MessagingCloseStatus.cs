using System.Net.WebSockets;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The close codes the server ends a connection with. Malformed frames (short, bad magic, unknown
/// type, size mismatch, text) are dropped and logged without closing, like the seed; these are the
/// cases where going on would mean unbounded memory or a client that no longer keeps up.
/// </summary>
public static class MessagingCloseStatus
{
    /// <summary>1009: a websocket message was larger than <c>max_message_size</c>.</summary>
    public const WebSocketCloseStatus MessageTooBig = WebSocketCloseStatus.MessageTooBig;

    /// <summary>1008: more than <c>send_queue</c> messages waited for this client.</summary>
    public const WebSocketCloseStatus SendQueueFull = WebSocketCloseStatus.PolicyViolation;

    public const string SendQueueFullReason = "send queue full: the client reads too slowly";

    /// <summary>1001: the server is stopping.</summary>
    public const WebSocketCloseStatus Stopping = WebSocketCloseStatus.EndpointUnavailable;

    public const string StoppingReason = "server stopping";
}
