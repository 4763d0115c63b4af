namespace ProxyHost.Supervision.Resources;

/// <summary>What one server's whole process tree used when it was sampled.</summary>
/// <param name="SampledAt">When the sample was taken.</param>
/// <param name="MemoryBytes">Resident memory (RSS) of all its processes together.</param>
/// <param name="PssBytes">Proportional set size, which counts shared pages once; null where the kernel does not give it.</param>
/// <param name="CpuSeconds">CPU time used by its live processes (user and system).</param>
/// <param name="CpuPercent">CPU used since the previous sample, in percent of one core; null for the first sample of a run.</param>
/// <param name="Processes">How many processes the tree has.</param>
/// <param name="Threads">How many threads those processes run.</param>
/// <param name="OpenFiles">Open file descriptors; null where they cannot be counted.</param>
public sealed record ResourceUsage(
    DateTimeOffset SampledAt, long MemoryBytes, long? PssBytes, double CpuSeconds, double? CpuPercent, int Processes, int Threads, int? OpenFiles);
