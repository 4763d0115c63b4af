using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ProxyHost.Apps.Tests.Infrastructure;

/// <summary>Events that test app services report, per tag, so a test can await them instead of sleeping.</summary>
public static class EventLog
{
    private static readonly ConcurrentDictionary<string, Channel<string>> Channels = new();

    public static string NewTag() => Guid.NewGuid().ToString("N")[..12];

    public static void Record(string tag, string @event) => Get(tag).Writer.TryWrite(@event);

    /// <summary>Waits (bounded) for the next event of <paramref name="tag"/> that satisfies <paramref name="match"/>, skipping others.</summary>
    public static async Task<string> WaitForAsync(string tag, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var next = await Get(tag).Reader.ReadAsync(timeout.Token);
            if (match(next))
            {
                return next;
            }
        }
    }

    public static Task<string> WaitForAsync(string tag, string prefix) => WaitForAsync(tag, e => e.StartsWith(prefix, StringComparison.Ordinal));

    private static Channel<string> Get(string tag) => Channels.GetOrAdd(tag, _ => Channel.CreateUnbounded<string>());
}
