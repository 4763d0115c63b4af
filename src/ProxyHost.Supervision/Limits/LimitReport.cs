using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Supervision.Limits;

/// <summary>
/// Says how limits are enforced the first time a server declares any, and warns, per server, about each
/// limit that nothing here enforces, so that no limit is silently ignored.
/// </summary>
internal sealed partial class LimitReport(LimitEnforcement enforcement, ILogger logger)
{
    private int _described;

    public void Check(ServerProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Limits.IsEmpty)
        {
            return;
        }
        if (Interlocked.Exchange(ref _described, 1) == 0)
        {
            Log.Mechanism(logger, enforcement.Describe());
        }
        foreach (var limit in enforcement.Unenforceable(definition.Limits))
        {
            Log.NotEnforced(logger, definition.Name, limit);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = SupervisionEventIds.LimitMechanism, Level = LogLevel.Information, Message = "{Mechanism}")]
        public static partial void Mechanism(ILogger logger, string mechanism);

        [LoggerMessage(EventId = SupervisionEventIds.LimitNotEnforced, Level = LogLevel.Warning, Message = "{Server}: {Limit}; it is not enforced")]
        public static partial void NotEnforced(ILogger logger, string server, string limit);
    }
}
