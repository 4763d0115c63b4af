using System.Text.Json.Nodes;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Sessions;

namespace ProxyHost.Apps.Monitoring;

/// <summary>
/// Narvi's admin JSON: <c>{workspace: {service: {"instances": {service_id: [instance, ...]}, "apps": [{"app_name"}]}}}</c>,
/// each instance <c>{"uptime", "sessions": {id: {"app_name", "uptime"}}, "metrics", "metrics_metadata"}</c>
/// (a list per id because per-session services can run several instances under one id).
/// </summary>
internal static class AdminJson
{
    public static JsonObject Build(AppServiceRegistry registry)
    {
        var root = new JsonObject();
        foreach (var workspace in registry.Services.Select(s => s.Workspace).Distinct().Order(StringComparer.Ordinal))
        {
            root[workspace] = ForWorkspace(registry, workspace, includeApps: true);
        }
        return root;
    }

    public static JsonObject ForWorkspace(AppServiceRegistry registry, string workspace, bool includeApps)
    {
        var now = registry.Options.TimeProvider.GetUtcNow();
        var running = registry.Instances.Where(i => !i.IsClosed && i.Service.Workspace == workspace).ToList();
        var result = new JsonObject();
        foreach (var service in registry.Services.Where(s => s.Workspace == workspace).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var mine = running.Where(i => i.Service == service).OrderBy(i => i.Started).ToList();
            if (!includeApps && mine.Count == 0)
            {
                continue;
            }
            var instances = new JsonObject();
            foreach (var group in mine.GroupBy(i => i.Key.ServiceId, StringComparer.Ordinal))
            {
                instances[group.Key] = new JsonArray([.. group.Select(i => (JsonNode)Instance(registry, i, now))]);
            }
            var entry = new JsonObject { ["instances"] = instances };
            entry["apps"] = includeApps
                ? new JsonArray([.. registry.Apps.Where(a => a.Service == service).Select(a => (JsonNode)new JsonObject { ["app_name"] = a.Name })])
                : new JsonArray();
            result[service.Name] = entry;
        }
        return result;
    }

    private static JsonObject Instance(AppServiceRegistry registry, ServiceInstance instance, DateTimeOffset now)
    {
        var sessions = new JsonObject();
        foreach (var session in instance.Sessions.OrderBy(s => s.Opened))
        {
            sessions[session.Id] = new JsonObject { ["app_name"] = session.AppName, ["uptime"] = Seconds(now - session.Opened) };
        }
        return new JsonObject
        {
            ["uptime"] = Seconds(now - instance.Started),
            ["sessions"] = sessions,
            ["metrics"] = registry.Metrics.ToJson(instance.Key),
            ["metrics_metadata"] = instance.MetricsMetadata ?? new JsonObject(),
        };
    }

    private static long Seconds(TimeSpan span) => (long)Math.Max(0, span.TotalSeconds);
}
