using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Relay.Metrics;
using ProxyHost.Relay.Rooms;

namespace ProxyHost.Relay;

/// <summary>The configured relays by name (case-insensitive, like server names); fixed at start-up.</summary>
internal sealed class RelayRegistry
{
    private readonly Dictionary<string, RelayHub> _hubs = new(StringComparer.OrdinalIgnoreCase);

    public RelayRegistry(IEnumerable<RelayDefinition> definitions, RelayMetrics metrics, ILoggerFactory loggers, RelayTuning tuning, TimeProvider time)
    {
        foreach (var definition in definitions)
        {
            _hubs.Add(definition.Name, new RelayHub(definition, metrics, loggers, tuning, time));
        }
        metrics.Track([.. _hubs.Values]);
    }

    public IReadOnlyCollection<RelayHub> Hubs => _hubs.Values;

    public RelayHub? Find(string name) => _hubs.GetValueOrDefault(name);
}
