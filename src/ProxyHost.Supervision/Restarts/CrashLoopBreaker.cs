using Polly;
using Polly.CircuitBreaker;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Supervision.Restarts;

/// <summary>
/// One server's crash-loop protection: Polly's circuit breaker over whole runs. Polly's breaker counts
/// a failure ratio over a sliding window, so a good run would keep the ratio under 1 for the whole
/// window and let a server that then fails on every start be relaunched for a minute; the window is
/// therefore started afresh after every good run, and the threshold means failures in a row.
/// </summary>
internal sealed class CrashLoopBreaker
{
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _control = new();
    private readonly ResiliencePipeline<RunOutcome> _pipeline;

    public CrashLoopBreaker(SupervisionOptions options, TimeProvider timeProvider, Func<OnCircuitOpenedArguments<RunOutcome>, ValueTask>? onOpened = null) =>
        _pipeline = RestartPipelineFactory.CreateCrashLoopBreaker(options, timeProvider, _state, onOpened, _control);

    public bool IsOpen => _state.CircuitState == CircuitState.Open;

    /// <summary>Runs once through the breaker; throws <see cref="BrokenCircuitException"/> while it is open.</summary>
    public async ValueTask<RunOutcome> ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask<RunOutcome>> run, TState state, CancellationToken cancellationToken)
    {
        var outcome = await _pipeline.ExecuteAsync(run, state, cancellationToken).ConfigureAwait(false);
        if (outcome == RunOutcome.Exited)
        {
            await _control.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>Closes the circuit and forgets every run so far: the user asked for a restart.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) => _control.CloseAsync(cancellationToken);
}
