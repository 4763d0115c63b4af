using Microsoft.Extensions.Logging;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Sessions;

namespace ProxyHost.Apps.Monitoring;

/// <summary>
/// At every interval: polls each instance's metrics callback on that instance's own queue (in parallel, each
/// bounded by the interval, so a slow instance misses a sample instead of delaying the others), records the
/// samples, then pushes the admin JSON to every admin listener.
/// </summary>
internal sealed partial class MetricsMonitor : IAsyncDisposable
{
    private readonly AppServiceRegistry _registry;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _ticks;

    public MetricsMonitor(AppServiceRegistry registry, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "the monitoring interval must be positive");
        }
        _registry = registry;
        _interval = interval;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised after each completed tick with its number (tests wait on it instead of sleeping).</summary>
    public event Action<long>? Ticked;

    public long Ticks => Interlocked.Read(ref _ticks);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval, _registry.Options.TimeProvider);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                await TickAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // monitoring must survive anything one tick runs into
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.TickFailed(_registry.Logger, e);
            }
            Ticked?.Invoke(Interlocked.Increment(ref _ticks));
        }
    }

    private async Task TickAsync()
    {
        var instances = _registry.Instances.Where(i => !i.IsClosed).ToList();
        var now = _registry.Options.TimeProvider.GetUtcNow();
        await Task.WhenAll(instances.Where(i => i.HasMetrics).Select(i => SampleAsync(i, now))).ConfigureAwait(false);
        _registry.Metrics.Retain(instances.Select(i => i.Key).ToHashSet());

        var listeners = instances.Where(i => i.HasAdminListener).ToList();
        if (listeners.Count > 0)
        {
            var admin = _registry.GetAdminJson();
            foreach (var instance in listeners)
            {
                instance.PushAdmin((System.Text.Json.Nodes.JsonObject)admin.DeepClone());
            }
        }
    }

    private async Task SampleAsync(ServiceInstance instance, DateTimeOffset now)
    {
        IReadOnlyDictionary<string, double>? metrics;
        try
        {
            metrics = await instance.PollMetricsAsync().WaitAsync(_interval, _registry.Options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            metrics = null;
        }
        _registry.Metrics.Record(instance.Key, now, metrics);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = AppsEventIds.MonitorTickFailed, Level = LogLevel.Error, Message = "A monitoring tick failed")]
        public static partial void TickFailed(ILogger logger, Exception exception);
    }
}
