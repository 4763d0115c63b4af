using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Supervision.Tests;

/// <summary>Records one server's snapshots from <see cref="IServerProcessSupervisor.WatchAsync"/> and lets tests await a condition.</summary>
internal sealed class SnapshotRecorder : IAsyncDisposable
{
    private readonly string _name;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<ServerProcessSnapshot> _seen = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SnapshotRecorder(IServerProcessSupervisor supervisor, string name)
    {
        _name = name;
        _pump = Task.Run(() => PumpAsync(supervisor));
    }

    public IReadOnlyList<ServerProcessSnapshot> Seen
    {
        get
        {
            lock (_lock)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Starts recording and returns once the current snapshot was seen.</summary>
    public static async Task<SnapshotRecorder> StartAsync(IServerProcessSupervisor supervisor, string name)
    {
        var recorder = new SnapshotRecorder(supervisor, name);
        await recorder.WaitForAsync(_ => true);
        return recorder;
    }

    public async Task<ServerProcessSnapshot> WaitForAsync(Func<ServerProcessSnapshot, bool> predicate)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_seen.FirstOrDefault(predicate) is { } match)
                {
                    return match;
                }
                changed = _changed.Task;
            }
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no snapshot of '{_name}' matched; seen: {string.Join(" → ", Seen.Select(s => s.State))}");
            }
            await Task.WhenAny(changed, Task.Delay(remaining));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private async Task PumpAsync(IServerProcessSupervisor supervisor)
    {
        await foreach (var snapshot in supervisor.WatchAsync(_stop.Token))
        {
            if (!string.Equals(snapshot.Name, _name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            TaskCompletionSource changed;
            lock (_lock)
            {
                _seen.Add(snapshot);
                changed = _changed;
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
    }
}
