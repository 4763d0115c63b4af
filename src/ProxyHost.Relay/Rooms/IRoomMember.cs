namespace ProxyHost.Relay.Rooms;

/// <summary>Something in a room that Y messages are delivered to: a local client or a multiplexed peer's subscription.</summary>
internal interface IRoomMember
{
    /// <summary>Queues an unprefixed Y message without waiting; a member that cannot keep up deals with it itself.</summary>
    void Deliver(ReadOnlyMemory<byte> message);
}
