using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Readiness;

namespace ProxyHost.Supervision.Restarts;

/// <summary>How one whole run (start, ready, exit) of a server ended; the crash-loop breaker's execution result.</summary>
internal enum RunOutcome
{
    /// <summary>Launch failed, readiness timed out, or it exited before it was ready.</summary>
    FailedToStart,

    /// <summary>Exited on its own sooner than the minimum uptime.</summary>
    QuickExit,

    /// <summary>Exited on its own after the minimum uptime.</summary>
    Exited,

    /// <summary>Stopped on purpose.</summary>
    Stopped,
}

/// <summary>The named Polly pipelines of supervision, each with its time budget stated.</summary>
internal static class RestartPipelineFactory
{
    /// <summary>
    /// Readiness wait. Budget: exactly <paramref name="timeout"/> (the definition's <c>timeout</c>) for all
    /// attempts together. Probes run at once, then after 5 ms, 10 ms, then every 20 ms,
    /// no jitter, unlimited attempts; a probe result of false or a probe exception is retried, except a
    /// <see cref="ReadinessRejectedException"/>, which ends the wait at once. Callers
    /// cancel the token when the process exits, which ends the wait immediately.
    /// </summary>
    public static ResiliencePipeline<bool> CreateReadinessPipeline(TimeSpan timeout, SupervisionOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder<bool> { Name = "proxyhost-readiness", TimeProvider = timeProvider }
            .AddTimeout(new TimeoutStrategyOptions { Timeout = Clamp(timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(24)) })
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: OperationCanceledException or ReadinessRejectedException } => false,
                    { Exception: not null } => true,
                    { Result: false } => true,
                    _ => false,
                }),
                BackoffType = DelayBackoffType.Exponential,
                Delay = options.ReadinessInitialDelay,
                MaxDelay = options.ReadinessMaximumDelay,
                UseJitter = false,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
    }

    /// <summary>
    /// Crash-loop breaker over whole runs. A run fails when it did not start or exited on its own within
    /// the minimum uptime. Budget (defaults): <see cref="SupervisionOptions.CrashLoopFailureThreshold"/> (3)
    /// failed runs, with no good run among them, within <see cref="SupervisionOptions.CrashLoopSamplingDuration"/>
    /// (60 s) open the circuit for <see cref="SupervisionOptions.CrashLoopBreakDuration"/> (30 s); then one
    /// trial run decides whether it closes or opens again.
    /// </summary>
    public static ResiliencePipeline<RunOutcome> CreateCrashLoopBreaker(
        SupervisionOptions options,
        TimeProvider timeProvider,
        CircuitBreakerStateProvider? stateProvider = null,
        Func<OnCircuitOpenedArguments<RunOutcome>, ValueTask>? onOpened = null,
        CircuitBreakerManualControl? manualControl = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder<RunOutcome> { Name = "proxyhost-crash-loop", TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<RunOutcome>
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result is RunOutcome.FailedToStart or RunOutcome.QuickExit),
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.CrashLoopFailureThreshold),
                SamplingDuration = Clamp(options.CrashLoopSamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
                BreakDuration = Clamp(options.CrashLoopBreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1)),
                StateProvider = stateProvider,
                ManualControl = manualControl,
                OnOpened = onOpened,
            })
            .Build();
    }

    /// <summary>
    /// Delay before the next start after <paramref name="quickFailures"/> quick failures in a row:
    /// initial × 2^(n-1), capped at the maximum (defaults 0.5 s, 1 s, 2 s … 10 s), with ±20 % jitter.
    /// Zero when the last run was fine. Budget: at most the maximum delay per start.
    /// </summary>
    public static TimeSpan GetRestartBackoff(int quickFailures, SupervisionOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (quickFailures <= 0)
        {
            return TimeSpan.Zero;
        }
        var exponential = options.RestartBackoffInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(quickFailures - 1, 30));
        var capped = Math.Min(exponential, options.RestartBackoffMaximumDelay.TotalMilliseconds);
        var jitter = 1 + ((random ?? Random.Shared).NextDouble() * 0.4 - 0.2);
        return TimeSpan.FromMilliseconds(Math.Min(capped * jitter, options.RestartBackoffMaximumDelay.TotalMilliseconds));
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
