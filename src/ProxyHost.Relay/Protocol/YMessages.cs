namespace ProxyHost.Relay.Protocol;

/// <summary>The few y-protocols / y-websocket frames the relay reads or writes itself.</summary>
public static class YMessages
{
    public const byte MessageSync = 0;
    public const byte MessageAwareness = 1;
    public const byte MessageQueryAwareness = 3;
    public const byte SyncStep1 = 0;
    public const byte SyncStep2 = 1;

    /// <summary>Sync step 1 with an empty state vector: "send me everything you have".</summary>
    public static ReadOnlyMemory<byte> RequestFullState { get; } = new byte[] { MessageSync, SyncStep1, 0x01, 0x00 };

    /// <summary>Sync step 2 carrying an empty update (no structs, empty delete set); marks a y-websocket client synced.</summary>
    public static ReadOnlyMemory<byte> EmptySyncStep2 { get; } = new byte[] { MessageSync, SyncStep2, 0x02, 0x00, 0x00 };

    /// <summary>y-websocket's "query awareness": every client answers with its awareness states.</summary>
    public static ReadOnlyMemory<byte> QueryAwareness { get; } = new byte[] { MessageQueryAwareness };

    public static bool IsAwareness(ReadOnlySpan<byte> message) => message.Length > 0 && message[0] == MessageAwareness;

    public static bool IsSyncStep1(ReadOnlySpan<byte> message) =>
        message.Length >= 2 && message[0] == MessageSync && message[1] == SyncStep1;
}
