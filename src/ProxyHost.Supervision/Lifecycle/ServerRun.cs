using ProxyHost.Supervision.Processes;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>One start of a server, from the request that triggered it until its process is gone.</summary>
internal sealed class ServerRun
{
    /// <summary>Completes when the server answers (or with why it could not start); every waiting request shares it.</summary>
    public TaskCompletionSource<ActiveServer> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenSource StopRequested { get; } = new();

    /// <summary>The whole run, including stopping its process tree.</summary>
    public Task Completion { get; set; } = Task.CompletedTask;

    public RunningProcess? Process { get; set; }

    /// <summary>How the process ended when it was stopped on purpose.</summary>
    public ProcessExit? StopExit { get; set; }
}

/// <summary>What the run loop asks of the instance that owns it.</summary>
internal interface IServerActivation
{
    /// <summary>Makes <paramref name="active"/> the server requests go to, unless the run was stopped meanwhile.</summary>
    bool TryActivate(ServerRun run, ActiveServer active);

    /// <summary>The process is ending: new requests must wait for the next run.</summary>
    void Deactivate();
}
