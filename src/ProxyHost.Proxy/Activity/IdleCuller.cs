using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Catalog;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Proxy.Activity;

/// <summary>
/// Stops running servers that have had no proxied traffic for their <c>idle_timeout</c> (they start
/// again lazily), and stops the host when nothing at all was proxied for
/// <see cref="ActivityOptions.ShutdownNoActivityTimeout"/>. Open requests and connections keep a server busy.
/// </summary>
internal sealed partial class IdleCuller(
    ServerActivityTracker tracker,
    IServerProcessSupervisor supervisor,
    IServerProcessCatalog catalog,
    IHostApplicationLifetime lifetime,
    IOptions<ActivityOptions> options,
    TimeProvider timeProvider,
    ILogger<IdleCuller> logger) : BackgroundService
{
    private bool _shutdownRequested;
    private DateTimeOffset? _listeningSince;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Count from when ProxyHost listens: a slow start-up must not use up the time before anyone could connect.
        await WaitForStartedAsync(stoppingToken).ConfigureAwait(false);
        _listeningSince = timeProvider.GetUtcNow();
        var interval = options.Value.CheckInterval;
        if (options.Value.ShutdownNoActivityTimeout is { } shutdown && shutdown < interval)
        {
            interval = shutdown;
        }
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: stops idle servers and, if due, the host.</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var definition in catalog.Current.Servers)
        {
            if (definition.IdleTimeout is not { } idleTimeout
                || supervisor.GetSnapshot(definition.Name) is not { State: ServerProcessState.Running } snapshot
                || tracker.GetInFlight(definition.Name) > 0)
            {
                continue;
            }
            var since = Latest(tracker.GetLastActivity(definition.Name), snapshot.ReadyAt ?? snapshot.StartedAt ?? now);
            if (now - since >= idleTimeout)
            {
                Log.StoppingIdleServer(logger, definition.Name, (now - since).TotalSeconds);
                try
                {
                    await supervisor.StopAsync(definition.Name, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.IdleStopFailed(logger, definition.Name, e.Message);
                }
            }
        }

        if (options.Value.ShutdownNoActivityTimeout is { } shutdownAfter && tracker.InFlight == 0 && !_shutdownRequested)
        {
            var since = Latest(tracker.LastTraffic, Latest(_listeningSince, tracker.Started));
            if (now - since >= shutdownAfter)
            {
                _shutdownRequested = true;
                Log.ShuttingDown(logger, (now - since).TotalSeconds);
                lifetime.StopApplication();
            }
        }
    }

    private async Task WaitForStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private static DateTimeOffset Latest(DateTimeOffset? a, DateTimeOffset b) => a is { } value && value > b ? value : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.StoppingIdleServer, Level = LogLevel.Information, Message = "{Server}: no proxied traffic for {Seconds:0}s; stopping it until the next request")]
        public static partial void StoppingIdleServer(ILogger logger, string server, double seconds);

        [LoggerMessage(EventId = ProxyEventIds.IdleStopFailed, Level = LogLevel.Warning, Message = "{Server}: stopping the idle server failed: {Reason}")]
        public static partial void IdleStopFailed(ILogger logger, string server, string reason);

        [LoggerMessage(EventId = ProxyEventIds.ShuttingDownNoActivity, Level = LogLevel.Information, Message = "Nothing proxied for {Seconds:0}s; shutting down (--shutdown-no-activity-timeout)")]
        public static partial void ShuttingDown(ILogger logger, double seconds);
    }
}
