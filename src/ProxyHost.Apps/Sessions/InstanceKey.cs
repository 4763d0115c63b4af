namespace ProxyHost.Apps.Sessions;

/// <summary>
/// Identifies a service instance: shared instances by workspace, service and service id; per-session
/// instances also by their session, so two of them with one service id never collide (Narvi's metrics did).
/// </summary>
internal sealed record InstanceKey(string Workspace, string ServiceName, string ServiceId, string? SessionId = null);
