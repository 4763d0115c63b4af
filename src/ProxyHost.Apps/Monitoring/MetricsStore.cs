using System.Text.Json.Nodes;
using ProxyHost.Apps.Sessions;

namespace ProxyHost.Apps.Monitoring;

/// <summary>
/// Metrics samples per instance, newest first, kept for the retention window (null: as long as the instance
/// runs). Samples of instances that are gone are dropped with them, so nothing grows without a bound.
/// </summary>
internal sealed class MetricsStore(Func<TimeSpan?> retention)
{
    private readonly Dictionary<InstanceKey, LinkedList<(double Time, JsonObject? Metrics)>> _samples = [];
    private readonly Lock _gate = new();

    public void Record(InstanceKey key, DateTimeOffset time, IReadOnlyDictionary<string, double>? metrics)
    {
        var seconds = time.ToUnixTimeMilliseconds() / 1000.0;
        JsonObject? sample = metrics is null ? null : new JsonObject(metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        lock (_gate)
        {
            if (!_samples.TryGetValue(key, out var list))
            {
                _samples[key] = list = new LinkedList<(double, JsonObject?)>();
            }
            list.AddFirst((seconds, sample));
            if (retention() is { } window)
            {
                var oldest = seconds - window.TotalSeconds;
                while (list.Count > 1 && list.Last!.Value.Time < oldest)
                {
                    list.RemoveLast();
                }
            }
        }
    }

    /// <summary>Drops the samples of every instance not in <paramref name="live"/>.</summary>
    public void Retain(IReadOnlySet<InstanceKey> live)
    {
        lock (_gate)
        {
            foreach (var key in _samples.Keys.Where(k => !live.Contains(k)).ToList())
            {
                _samples.Remove(key);
            }
        }
    }

    /// <summary>Narvi's <c>[[t, {metric: value} | null], ...]</c>, newest first.</summary>
    public JsonArray ToJson(InstanceKey key)
    {
        lock (_gate)
        {
            return _samples.TryGetValue(key, out var list)
                ? new JsonArray([.. list.Select(s => (JsonNode)new JsonArray(JsonValue.Create(s.Time), s.Metrics?.DeepClone()))])
                : [];
        }
    }

    public int Count(InstanceKey key)
    {
        lock (_gate)
        {
            return _samples.TryGetValue(key, out var list) ? list.Count : 0;
        }
    }
}
