namespace ProxyHost.Relay.Rooms;

/// <summary>Something in a room that Y messages are delivered to: a local client or a multiplexed peer's subscription.</summary>
internal interface IRoomMember
{
    /// <summary>Queues an unprefixed Y message without waiting; a member that cannot keep up deals with it itself.</summary>
    void Deliver(ReadOnlyMemory<byte> message);

    /// <summary>
    /// Whether the member gets its own awareness messages back, as from the y-websocket server: a lone
    /// y-websocket client reconnects when it hears nothing for 30 s. Multiplexed peers echo on their side.
    /// </summary>
    bool EchoesAwareness { get; }
}
