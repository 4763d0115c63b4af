using FluentAssertions;
using ProxyHost.Supervision.Logs;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class ServerLogBufferTests
{
    [Fact]
    public async Task WatchAsync_LinesAppendedWhileWatching_DeliversEveryLineOnce()
    {
        var buffer = new ServerLogBuffer(capacity: 100);
        buffer.Append(LogStream.StandardOutput, "before");
        using var cancel = new CancellationTokenSource(TestTimeouts.Default);
        var seen = new List<string>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var watching = Task.Run(async () =>
        {
            await foreach (var line in buffer.WatchAsync(10, cancel.Token))
            {
                seen.Add(line.Text);
                first.TrySetResult();
                if (line.Text == "line 50")
                {
                    return;
                }
            }
        });
        await first.Task.DefaultTimeout();
        for (var i = 1; i <= 50; i++)
        {
            buffer.Append(LogStream.StandardOutput, $"line {i}");
        }
        await watching.DefaultTimeout();

        seen.Should().Equal(["before", .. Enumerable.Range(1, 50).Select(i => $"line {i}")]);
    }

    [Fact]
    public void Append_MoreLinesThanCapacity_KeepsOnlyTheNewest()
    {
        var buffer = new ServerLogBuffer(capacity: 3);

        for (var i = 1; i <= 10; i++)
        {
            buffer.Append(LogStream.StandardError, $"line {i}");
        }

        buffer.Tail(100).Select(l => l.Text).Should().Equal("line 8", "line 9", "line 10");
        buffer.Tail(100).Select(l => l.Sequence).Should().Equal(7, 8, 9);
    }
}
