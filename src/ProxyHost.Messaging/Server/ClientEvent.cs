using System.Net.WebSockets;

namespace ProxyHost.Messaging.Server;

/// <summary>A client connected or disconnected; for a disconnect, how the websocket ended.</summary>
/// <param name="CloseStatus">The close code sent or received; null when the connection was cut without one.</param>
public sealed record ClientEvent(string ClientId, string? RemoteAddress, WebSocketCloseStatus? CloseStatus = null, string? CloseReason = null);
