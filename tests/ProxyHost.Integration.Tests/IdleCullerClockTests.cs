using System.Runtime.CompilerServices;
using FluentAssertions;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activity;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Logs;
using Xunit;

namespace ProxyHost.Integration.Tests;

/// <summary>
/// The idle rules on a fake clock, one check at a time: exact to the second, whatever the machine's speed.
/// IdleCullingTests shows the same culler stopping real processes in a real host.
/// </summary>
public sealed class IdleCullerClockTests
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly RunningServers _servers;
    private readonly ApplicationLifetime _lifetime = new(NullLogger<ApplicationLifetime>.Instance);
    private readonly ActivityOptions _options = new();
    private readonly ServerActivityTracker _tracker;
    private readonly IdleCuller _culler;

    public IdleCullerClockTests()
    {
        var catalog = new InMemoryServerProcessCatalog(
        [
            new ServerProcessDefinition { Name = "idle", Command = ["tool"], IdleTimeout = IdleTimeout },
            new ServerProcessDefinition { Name = "busy", Command = ["tool"] },
        ]);
        _servers = new RunningServers(readyAt: _clock.GetUtcNow(), "idle", "busy");
        _tracker = new ServerActivityTracker(catalog, _clock);
        _culler = new IdleCuller(_tracker, _servers, catalog, _lifetime, Options.Create(_options), _clock, NullLogger<IdleCuller>.Instance);
    }

    [Fact]
    public async Task Server_IsStoppedExactlyWhenItsIdleTimeoutHasPassedSinceItWasReady()
    {
        _clock.Advance(IdleTimeout - TimeSpan.FromSeconds(1));
        await _culler.CheckAsync(CancellationToken.None);
        _servers.Stopped.Should().BeEmpty();

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _culler.CheckAsync(CancellationToken.None);

        _servers.Stopped.Should().Equal("idle");
    }

    [Fact]
    public async Task Traffic_StartsTheIdleTimeAgain()
    {
        for (var i = 0; i < 20; i++)
        {
            _clock.Advance(IdleTimeout / 2);
            _tracker.RecordActivity("idle");
            await _culler.CheckAsync(CancellationToken.None);
        }
        _servers.Stopped.Should().BeEmpty("traffic every half idle timeout, for ten idle timeouts, never leaves it idle");

        _clock.Advance(IdleTimeout);
        await _culler.CheckAsync(CancellationToken.None);

        _servers.Stopped.Should().Equal("idle");
    }

    [Fact]
    public async Task OpenRequest_KeepsTheServerBusyHoweverLongItLasts()
    {
        var request = _tracker.BeginRequest("idle");
        _clock.Advance(IdleTimeout * 3);
        await _culler.CheckAsync(CancellationToken.None);
        _servers.Stopped.Should().BeEmpty();

        request.Dispose();
        _clock.Advance(IdleTimeout - TimeSpan.FromSeconds(1));
        await _culler.CheckAsync(CancellationToken.None);
        _servers.Stopped.Should().BeEmpty("the idle time counts from the end of the request");

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _culler.CheckAsync(CancellationToken.None);
        _servers.Stopped.Should().Equal("idle");
    }

    [Fact]
    public async Task ShutdownNoActivityTimeout_StopsTheHostOnlyAfterTheWholeTimeWithoutTraffic()
    {
        _options.ShutdownNoActivityTimeout = TimeSpan.FromHours(1);
        _clock.Advance(TimeSpan.FromMinutes(50));
        _tracker.RecordActivity("busy");

        _clock.Advance(TimeSpan.FromMinutes(59));
        await _culler.CheckAsync(CancellationToken.None);
        _lifetime.ApplicationStopping.IsCancellationRequested.Should().BeFalse();

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _culler.CheckAsync(CancellationToken.None);
        _lifetime.ApplicationStopping.IsCancellationRequested.Should().BeTrue();
    }

    /// <summary>Servers that report Running since <c>readyAt</c> and record which ones the culler stops.</summary>
    private sealed class RunningServers(DateTimeOffset readyAt, params string[] names) : IServerProcessSupervisor
    {
        public List<string> Stopped { get; } = [];

        public ServerProcessSnapshot? GetSnapshot(string name) =>
            names.Contains(name) && !Stopped.Contains(name)
                ? new ServerProcessSnapshot { Name = name, IsManaged = true, State = ServerProcessState.Running, StartedAt = readyAt, ReadyAt = readyAt }
                : null;

        public IReadOnlyList<ServerProcessSnapshot> GetSnapshots() => [.. names.Select(GetSnapshot).OfType<ServerProcessSnapshot>()];

        public Task StopAsync(string name, CancellationToken cancellationToken)
        {
            Stopped.Add(name);
            return Task.CompletedTask;
        }

        public ValueTask<ActiveServer> EnsureRunningAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async IAsyncEnumerable<ServerProcessSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public ServerLogBuffer? GetLog(string name) => null;

        public ValueTask<ActiveServer> RestartAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
