using System.Collections.Concurrent;
using ProxyHost.Proxy.Activity;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>Counts the activity ProxyHost reports per server.</summary>
public sealed class CountingActivitySink : IServerActivitySink
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void RecordActivity(string serverName) => _counts.AddOrUpdate(serverName, 1, (_, count) => count + 1);

    public int Count(string serverName) => _counts.GetValueOrDefault(serverName);
}
