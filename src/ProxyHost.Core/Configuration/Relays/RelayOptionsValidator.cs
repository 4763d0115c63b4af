namespace ProxyHost.Configuration;

/// <summary>The checks both the config file and <c>AddRelay</c> apply; each problem names its config key.</summary>
public static class RelayOptionsValidator
{
    /// <summary>Returns (key, problem) pairs; empty when <paramref name="options"/> is valid.</summary>
    public static IEnumerable<(string Key, string Problem)> Validate(RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Upstream is { } upstream && !(upstream.IsAbsoluteUri && upstream.Scheme is "ws" or "wss"))
        {
            yield return ("upstream", $"expected a ws:// or wss:// URL, got \"{upstream}\"");
        }
        if ((options.User is null) != (options.Password is null))
        {
            yield return (options.User is null ? "user" : "password", "\"user\" and \"password\" go together (HTTP Basic to the upstream); set both or neither");
        }
        if (options.User is not null && options.Upstream is null)
        {
            yield return ("user", "credentials need an \"upstream\" to send them to");
        }
        if (options.User?.Contains(':', StringComparison.Ordinal) == true)
        {
            yield return ("user", "an HTTP Basic user name cannot contain ':'");
        }
        if (options.SendAuth == RelaySendAuth.On401 && options.User is null)
        {
            yield return ("send_auth", "\"on_401\" needs \"user\" and \"password\"");
        }
        foreach (var (key, value) in new (string, long)[]
        {
            ("upstream_queue_frames", options.UpstreamQueueFrames), ("upstream_queue_bytes", options.UpstreamQueueBytes),
            ("client_queue_frames", options.ClientQueueFrames), ("client_queue_bytes", options.ClientQueueBytes),
        })
        {
            if (value < 1)
            {
                yield return (key, $"expected a positive whole number, got {value}");
            }
        }
        if (options.MaxMessageBytes < 64)
        {
            yield return ("max_message_bytes", $"expected at least 64, got {options.MaxMessageBytes}");
        }
        if (options.ReconnectMaxDelay <= TimeSpan.Zero)
        {
            yield return ("reconnect_max_delay", "expected a positive number of seconds");
        }
    }
}
