using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace ProxyHost.Tests.Hosting;

/// <summary>Lets a test wait until YARP has applied the routes of a given catalog version.</summary>
public sealed class RoutesAppliedSignal : IConfigChangeListener
{
    private readonly Lock _lock = new();
    private readonly List<(long Version, TaskCompletionSource Applied)> _waiters = [];
    private long _appliedVersion;

    public Task WaitForVersionAsync(long version)
    {
        lock (_lock)
        {
            if (_appliedVersion >= version)
            {
                return Task.CompletedTask;
            }
            var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((version, applied));
            return applied.Task;
        }
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        var version = proxyConfigs.Select(c => long.TryParse(c.RevisionId, CultureInfo.InvariantCulture, out var v) ? v : 0).DefaultIfEmpty().Max();
        lock (_lock)
        {
            _appliedVersion = Math.Max(_appliedVersion, version);
            foreach (var waiter in _waiters.Where(w => w.Version <= _appliedVersion).ToList())
            {
                waiter.Applied.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
    }
}
