using FluentAssertions;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Restarts;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class RestartPipelineFactoryTests
{
    private readonly SupervisionOptions _options = new();

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 500)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(5, 8000)]
    [InlineData(6, 10000)]
    [InlineData(60, 10000)]
    public void GetRestartBackoff_QuickFailures_GrowsExponentiallyWithJitterUpToCap(int failures, int expectedMilliseconds)
    {
        var delays = Enumerable.Range(0, 50).Select(_ => RestartPipelineFactory.GetRestartBackoff(failures, _options)).ToList();

        delays.Should().OnlyContain(d =>
            d.TotalMilliseconds >= expectedMilliseconds * 0.8 - 0.001
            && d.TotalMilliseconds <= Math.Min(expectedMilliseconds * 1.2, 10000) + 0.001);
    }

    [Fact]
    public async Task ReadinessPipeline_ProbeNeverSucceeds_ThrowsTimeoutAfterDefinitionTimeout()
    {
        var pipeline = RestartPipelineFactory.CreateReadinessPipeline(TimeSpan.FromSeconds(1), _options, TimeProvider.System);
        var attempts = 0;

        var act = async () => await pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            return ValueTask.FromResult(false);
        });

        await act.Should().ThrowAsync<TimeoutRejectedException>().DefaultTimeout();
        attempts.Should().BeInRange(2, 110, "probes are retried after 5 ms, then every 10 ms (about 100 fit in 1 s)");
    }

    [Fact]
    public async Task ReadinessPipeline_ProbeThrowsThenSucceeds_RetriesUntilReady()
    {
        var pipeline = RestartPipelineFactory.CreateReadinessPipeline(TimeSpan.FromSeconds(10), _options, TimeProvider.System);
        var attempts = 0;

        var ready = await pipeline.ExecuteAsync(_ => ++attempts switch
        {
            1 => throw new InvalidOperationException("not yet"),
            2 => ValueTask.FromResult(false),
            _ => ValueTask.FromResult(true),
        }).AsTask().DefaultTimeout();

        ready.Should().BeTrue();
        attempts.Should().Be(3);
    }

    [Fact]
    public async Task CrashLoopBreaker_GoodRunsAndStops_NeverOpen()
    {
        var pipeline = RestartPipelineFactory.CreateCrashLoopBreaker(_options, TimeProvider.System);

        for (var i = 0; i < 10; i++)
        {
            var outcome = i % 2 == 0 ? RunOutcome.Exited : RunOutcome.Stopped;
            (await pipeline.ExecuteAsync(_ => ValueTask.FromResult(outcome))).Should().Be(outcome);
        }
    }

    [Fact]
    public async Task CrashLoopBreaker_ThresholdQuickFailures_RejectsWithRetryAfter()
    {
        var pipeline = RestartPipelineFactory.CreateCrashLoopBreaker(_options, TimeProvider.System);
        for (var i = 0; i < _options.CrashLoopFailureThreshold; i++)
        {
            await pipeline.ExecuteAsync(_ => ValueTask.FromResult(i == 0 ? RunOutcome.FailedToStart : RunOutcome.QuickExit));
        }

        var act = async () => await pipeline.ExecuteAsync(_ => ValueTask.FromResult(RunOutcome.Exited));

        var error = (await act.Should().ThrowAsync<BrokenCircuitException>()).Which;
        error.RetryAfter.Should().BeCloseTo(_options.CrashLoopBreakDuration, TimeSpan.FromSeconds(1));
    }
}
