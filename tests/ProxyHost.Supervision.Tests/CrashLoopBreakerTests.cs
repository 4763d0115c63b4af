using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Restarts;
using Xunit;

namespace ProxyHost.Supervision.Tests;

/// <summary>The crash-loop rule as docs/servers.md states it, on a fake clock: three quick failures within 60 s open the circuit for 30 s.</summary>
public sealed class CrashLoopBreakerTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly CrashLoopBreaker _breaker;
    private int _runs;

    public CrashLoopBreakerTests() => _breaker = new CrashLoopBreaker(new SupervisionOptions(), _clock);

    [Fact]
    public async Task ThreeQuickFailuresInARow_OpenTheCircuit()
    {
        await RunAsync(RunOutcome.QuickExit, RunOutcome.FailedToStart, RunOutcome.QuickExit);

        await ShouldBeOpenAsync();
        _runs.Should().Be(3);
    }

    [Fact]
    public async Task AGoodRunThenThreeQuickFailures_OpenTheCircuitAtTheThird()
    {
        await RunAsync(RunOutcome.Exited);
        _clock.Advance(TimeSpan.FromSeconds(1));

        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit, RunOutcome.QuickExit);

        await ShouldBeOpenAsync();
        _runs.Should().Be(4, "the good run before the streak must not keep a crashing server relaunching for the rest of the window");
    }

    [Fact]
    public async Task AGoodRunInsideTheStreak_StartsTheCountAgain()
    {
        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit, RunOutcome.Exited, RunOutcome.QuickExit, RunOutcome.QuickExit);
        _breaker.IsOpen.Should().BeFalse();

        await RunAsync(RunOutcome.QuickExit);

        await ShouldBeOpenAsync();
    }

    [Fact]
    public async Task FailuresFurtherApartThanTheSamplingWindow_DoNotOpenTheCircuit()
    {
        await RunAsync(RunOutcome.QuickExit);
        _clock.Advance(TimeSpan.FromSeconds(61));

        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit);

        _breaker.IsOpen.Should().BeFalse("only two of the three failures fall within 60 s");
    }

    [Fact]
    public async Task OpenCircuit_AfterTheBreak_AllowsOneTrialThatReopensOnFailure()
    {
        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit, RunOutcome.QuickExit);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await ShouldBeOpenAsync();

        _clock.Advance(TimeSpan.FromSeconds(2));
        await RunAsync(RunOutcome.QuickExit);

        _runs.Should().Be(4);
        await ShouldBeOpenAsync();
    }

    [Fact]
    public async Task OpenCircuit_ResetByTheUser_RunsAgainAndCountsAfresh()
    {
        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit, RunOutcome.QuickExit);

        await _breaker.ResetAsync(CancellationToken.None);
        await RunAsync(RunOutcome.QuickExit, RunOutcome.QuickExit);

        _breaker.IsOpen.Should().BeFalse();
        _runs.Should().Be(5);
    }

    private async Task RunAsync(params RunOutcome[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            await _breaker.ExecuteAsync((_, _) => { _runs++; return ValueTask.FromResult(outcome); }, 0, CancellationToken.None);
        }
    }

    private async Task ShouldBeOpenAsync()
    {
        var runsBefore = _runs;
        var next = async () => await _breaker.ExecuteAsync((_, _) => { _runs++; return ValueTask.FromResult(RunOutcome.Exited); }, 0, CancellationToken.None);
        await next.Should().ThrowAsync<BrokenCircuitException>();
        _runs.Should().Be(runsBefore);
        _breaker.IsOpen.Should().BeTrue();
    }
}
