namespace ProxyHost.Messaging;

/// <summary>The one table of this assembly's log event ids (8000-8099; Supervision has 1000-1099); ids are stable, never reused.</summary>
internal static class MessagingEventIds
{
    public const int ClientConnected = 8000;
    public const int ClientDisconnected = 8001;
    public const int FrameRejected = 8002;
    public const int SendQueueFull = 8003;
    public const int HandlerFailed = 8004;
    public const int UploadSaved = 8005;
    public const int UploadFailed = 8006;
    public const int UnhandledMessage = 8007;
}
