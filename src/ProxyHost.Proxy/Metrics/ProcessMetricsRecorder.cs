using Microsoft.Extensions.Hosting;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Proxy.Metrics;

/// <summary>Turns the supervisor's snapshot stream into process starts, restarts, failures and time-to-ready.</summary>
internal sealed class ProcessMetricsRecorder(IServerProcessSupervisor supervisor, ProxyHostMetrics metrics) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = new Dictionary<string, ServerProcessSnapshot>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var snapshot in supervisor.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                previous.TryGetValue(snapshot.Name, out var before);
                previous[snapshot.Name] = snapshot;
                if (before is null)
                {
                    continue;
                }
                if (snapshot.State == ServerProcessState.Starting && before.State != ServerProcessState.Starting)
                {
                    metrics.ProcessStarted(snapshot.Name, restart: snapshot.Restarts > before.Restarts);
                }
                if (snapshot.State == ServerProcessState.Failed && before.State != ServerProcessState.Failed)
                {
                    metrics.ProcessFailed(snapshot.Name);
                }
                if (snapshot is { State: ServerProcessState.Running, ReadyAt: { } ready, StartedAt: { } started } && ready != before.ReadyAt)
                {
                    metrics.ProcessReady(snapshot.Name, ready - started);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
