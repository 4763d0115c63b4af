using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Processes;

namespace ProxyHost.Supervision.Resources;

/// <summary>
/// Samples every running server's whole process tree from /proc on an interval and keeps 10 minutes of
/// samples per server. Servers that do not run cost nothing; a stopped server's samples are dropped.
/// </summary>
internal sealed class ServerResourceSampler(ServerProcessSupervisor supervisor, IOptions<SupervisionOptions> options, TimeProvider clock)
    : IServerResourceMonitor, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan HistoryLength = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, ServerResourceHistory> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stopping = new();
    private Task _sampling = Task.CompletedTask;
    private int _disposed;
    private long _round;

    public ResourceUsage? GetUsage(string name) => _servers.TryGetValue(name, out var history) ? history.Latest : null;

    public IReadOnlyList<ResourceUsage> GetHistory(string name) => _servers.TryGetValue(name, out var history) ? history.Samples() : [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.ResourceSampleInterval;
        if (interval > TimeSpan.Zero && OperatingSystem.IsLinux())
        {
            _sampling = SampleEveryAsync(interval, _stopping.Token);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        await _sampling.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    // Registered under three service types, so the container may dispose it more than once.
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>One round: a sample of every running server; the history of any other is dropped.</summary>
    internal void SampleOnce()
    {
        var now = clock.GetUtcNow();
        var running = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var processesRunning = supervisor.RunningProcesses().ToList();
        // One scan of /proc for every tree; each finds its members in it.
        var table = ProcessTable.Scan(ownOnly: false);
        var readPss = _round++ % PssEvery == 0;
        var groups = processesRunning.Select(p => p.Process.Tree.GroupId).Where(g => g > 1).ToHashSet();
        foreach (var (name, process) in processesRunning)
        {
            running.Add(name);
            var otherGroups = groups.Where(g => g != process.Tree.GroupId).ToHashSet();
            var (rss, pss, cpuSeconds, processes, threads, openFiles) = ProcUsageReader.Read(process.Tree.MembersIn(table, otherGroups), readPss);
            var history = _servers.AddOrUpdate(
                name,
                _ => new ServerResourceHistory(process.ProcessId, Capacity),
                (_, existing) => existing.ProcessId == process.ProcessId ? existing : new ServerResourceHistory(process.ProcessId, Capacity));
            history.Add(new ResourceUsage(now, rss, readPss ? pss : history.Latest?.PssBytes, cpuSeconds, history.CpuPercentSince(now, cpuSeconds), processes, threads, openFiles));
        }
        foreach (var name in _servers.Keys.Where(n => !running.Contains(n)).ToList())
        {
            _servers.TryRemove(name, out _);
        }
    }

    // PSS costs the kernel a walk of every mapping (about 160 µs per process, five times the rest of a
    // sample), so it is read about every 30 s and carried over in between.
    private int PssEvery => (int)Math.Clamp(TimeSpan.FromSeconds(30) / options.Value.ResourceSampleInterval, 1, 30);

    private int Capacity => (int)Math.Clamp(HistoryLength / options.Value.ResourceSampleInterval, 1, 3600);

    private async Task SampleEveryAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            // Nothing runs yet at start-up (servers start lazily), so the first round is one interval in,
            // off the path between exec and the first answer.
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                SampleOnce();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
