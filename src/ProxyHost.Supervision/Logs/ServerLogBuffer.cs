using System.Runtime.CompilerServices;

namespace ProxyHost.Supervision.Logs;

/// <summary>
/// A fixed-size ring of a server's latest output lines with a live tail. Memory stays bounded however
/// much a process writes: old lines fall off and over-long lines are cut.
/// </summary>
public sealed class ServerLogBuffer
{
    /// <summary>Lines longer than this are cut, so one runaway line cannot grow the buffer.</summary>
    public const int MaxLineLength = 4096;

    private readonly LogLine?[] _ring;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private long _nextSequence;
    private TaskCompletionSource _appended = NewSignal();

    public ServerLogBuffer(int capacity = 1000, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _ring = new LogLine?[capacity];
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public int Capacity => _ring.Length;

    /// <summary>Adds a line and wakes live tails.</summary>
    public LogLine Append(LogStream stream, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLineLength)
        {
            text = string.Concat(text.AsSpan(0, MaxLineLength), "…");
        }

        TaskCompletionSource appended;
        LogLine line;
        lock (_lock)
        {
            line = new LogLine(_nextSequence, _timeProvider.GetUtcNow(), stream, text);
            _ring[_nextSequence % _ring.Length] = line;
            _nextSequence++;
            appended = _appended;
            _appended = NewSignal();
        }
        appended.TrySetResult();
        return line;
    }

    /// <summary>The last <paramref name="count"/> lines still held, oldest first.</summary>
    public IReadOnlyList<LogLine> Tail(int count)
    {
        lock (_lock)
        {
            return Since(Math.Max(0, _nextSequence - Math.Max(0, count)));
        }
    }

    /// <summary>Lines held now, then every new line as it arrives, until cancelled.</summary>
    public async IAsyncEnumerable<LogLine> WatchAsync(int initialLines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Read the first batch and take the wake-up signal under one lock, so a line appended in between
        // is neither lost nor left waiting for the next append.
        IReadOnlyList<LogLine> batch;
        long next;
        Task signal;
        lock (_lock)
        {
            batch = Since(Math.Max(0, _nextSequence - Math.Max(0, initialLines)));
            next = _nextSequence;
            signal = _appended.Task;
        }

        while (true)
        {
            foreach (var line in batch)
            {
                yield return line;
            }
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                batch = Since(next);
                next = _nextSequence;
                signal = _appended.Task;
            }
        }
    }

    private List<LogLine> Since(long sequence)
    {
        var oldest = Math.Max(sequence, _nextSequence - _ring.Length);
        var lines = new List<LogLine>((int)Math.Max(0, _nextSequence - oldest));
        for (var s = oldest; s < _nextSequence; s++)
        {
            lines.Add(_ring[s % _ring.Length]!);
        }
        return lines;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
