using System.Net.WebSockets;

namespace ProxyHost.Proxy.RawSockets;

/// <summary>
/// The close frames a raw-socket bridge sends when it, not the client, ends the websocket. A close
/// the client starts is answered with the client's own code, and the backend sees end-of-stream.
/// </summary>
internal static class RawSocketCloseStatus
{
    /// <summary>1000: the backend closed its end of the stream (end-of-stream read).</summary>
    public const WebSocketCloseStatus BackendClosed = WebSocketCloseStatus.NormalClosure;

    public const string BackendClosedReason = "backend closed the connection";

    /// <summary>1011: reading from or writing to the backend failed (reset, broken pipe).</summary>
    public const WebSocketCloseStatus BackendFailed = WebSocketCloseStatus.InternalServerError;

    public const string BackendFailedReason = "backend connection failed";

    /// <summary>1001: nothing passed either way for <c>websocket_idle_timeout</c>.</summary>
    public const WebSocketCloseStatus IdleTimeout = WebSocketCloseStatus.EndpointUnavailable;

    public const string IdleTimeoutReason = "idle timeout";

    /// <summary>1001: ProxyHost is shutting down.</summary>
    public const WebSocketCloseStatus HostStopping = WebSocketCloseStatus.EndpointUnavailable;

    public const string HostStoppingReason = "ProxyHost is stopping";

    /// <summary>1007: a text message on a <c>base64</c> websocket was not valid base64.</summary>
    public const WebSocketCloseStatus InvalidBase64 = WebSocketCloseStatus.InvalidPayloadData;

    public const string InvalidBase64Reason = "text messages must be base64 on a base64 websocket";

    /// <summary>1009: a client message was longer than the bridge's message size limit.</summary>
    public const WebSocketCloseStatus MessageTooBig = WebSocketCloseStatus.MessageTooBig;

    public const string MessageTooBigReason = "message too big";
}
