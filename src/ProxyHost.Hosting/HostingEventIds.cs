namespace ProxyHost.Hosting;

/// <summary>The one table of this assembly's log event ids (3000-3099; Supervision has 1000-1099); ids are stable, never reused.</summary>
internal static class HostingEventIds
{
    public const int NoConfigFile = 3001;
    public const int ConfigReloaded = 3002;
    public const int ConfigReloadRejected = 3003;
    public const int HubActivityReportFailed = 3004;
    public const int PluginWarning = 3005;
    public const int ConnectionRefused = 3006;
    public const int ConnectionEvicted = 3007;
    public const int HostRefused = 3008;
    public const int HostMalformed = 3009;
    public const int OriginRefused = 3010;
}
