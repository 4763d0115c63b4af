namespace ProxyHost.Messaging.Server;

/// <summary>Handles one received message (or a <c>client_state</c> event); runs off the socket loop.</summary>
public delegate ValueTask MessageHandler(ReceivedMessage message);
