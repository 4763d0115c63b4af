namespace ProxyHost.Proxy.Activity;

/// <summary>Idle culling of servers and of the host itself.</summary>
public sealed class ActivityOptions
{
    /// <summary>How often idle servers are looked for.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop the whole host when nothing has been proxied for this long (<c>--shutdown-no-activity-timeout</c>); null never does.</summary>
    public TimeSpan? ShutdownNoActivityTimeout { get; set; }
}
