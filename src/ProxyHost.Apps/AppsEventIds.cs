namespace ProxyHost.Apps;

/// <summary>The one table of this assembly's log event ids (700-799; Supervision has 1000-1099); ids are stable, never reused.</summary>
internal static class AppsEventIds
{
    public const int ServiceConstructorFailed = 700;
    public const int ServiceWorkFailed = 701;
    public const int ServiceCallbackFailed = 702;
    public const int ServiceClosed = 703;
    public const int RequestServiceFailed = 710;
    public const int MonitorTickFailed = 720;
}
