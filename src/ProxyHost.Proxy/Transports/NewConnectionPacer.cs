using System.Collections.Concurrent;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Lets at most a few fresh connections to one backend wait for their first answer at a time. A
/// connection the kernel has completed but the backend has not yet accepted sits in its listen queue,
/// and Python's <c>http.server</c> listens with a queue of 5: a burst of 200 new connections overflows it,
/// the kernel drops their handshakes, and requests stall for the seconds of TCP's retransmissions or fail.
/// A slot is given back at the connection's first response byte, or after a short hold so that a slow
/// answer (a long poll) never holds up other connections for long. Reused connections pass untouched.
/// </summary>
internal static class NewConnectionPacer
{
    private const int MaxUnanswered = 4;
    private static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(250);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>Waits for a slot for a new connection to <paramref name="backend"/>; dispose (or call) the result when it is answered.</summary>
    public static async ValueTask<Slot> EnterAsync(string backend, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(backend, _ => new SemaphoreSlim(MaxUnanswered, MaxUnanswered));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var slot = new Slot(gate);
        _ = Task.Delay(MaxHold, CancellationToken.None).ContinueWith(static (_, s) => ((Slot)s!).Release(), slot, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return slot;
    }

    internal sealed class Slot(SemaphoreSlim gate)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
