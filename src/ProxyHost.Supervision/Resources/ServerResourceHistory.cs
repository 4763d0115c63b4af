namespace ProxyHost.Supervision.Resources;

/// <summary>The samples of one run of a server (one process), a bounded ring, oldest dropped first.</summary>
internal sealed class ServerResourceHistory(int processId, int capacity)
{
    private readonly Queue<ResourceUsage> _samples = new(capacity);
    private readonly Lock _lock = new();

    public int ProcessId => processId;

    public ResourceUsage? Latest { get; private set; }

    public void Add(ResourceUsage sample)
    {
        lock (_lock)
        {
            if (_samples.Count == capacity)
            {
                _samples.Dequeue();
            }
            _samples.Enqueue(sample);
            Latest = sample;
        }
    }

    public IReadOnlyList<ResourceUsage> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    /// <summary>Percent of one core used since the previous sample; null for the first (or when processes ended and took their time with them).</summary>
    public double? CpuPercentSince(DateTimeOffset now, double cpuSeconds) =>
        Latest is { } previous && now > previous.SampledAt && cpuSeconds >= previous.CpuSeconds
            ? Math.Round((cpuSeconds - previous.CpuSeconds) / (now - previous.SampledAt).TotalSeconds * 100, 1)
            : null;
}
