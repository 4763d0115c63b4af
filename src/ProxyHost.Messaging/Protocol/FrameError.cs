namespace ProxyHost.Messaging.Protocol;

/// <summary>Why a received frame was rejected.</summary>
public enum FrameError
{
    None = 0,

    /// <summary>The frame is not longer than the 32-byte header, so it carries no payload.</summary>
    TooShort,

    /// <summary>The magic field is not 42.</summary>
    BadMagic,

    /// <summary>The type code is not one of <see cref="MessageType"/>.</summary>
    UnknownType,

    /// <summary>The header's payload size differs from the bytes that follow it.</summary>
    SizeMismatch,

    /// <summary>The websocket message is larger than the configured limit.</summary>
    TooLarge,

    /// <summary>A text websocket message; the protocol is binary only.</summary>
    TextFrame,
}
