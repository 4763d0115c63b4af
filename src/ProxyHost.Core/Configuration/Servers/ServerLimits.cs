namespace ProxyHost.Configuration;

/// <summary>
/// The resources one server's whole process tree may use (<c>limits</c>); null means no limit. How each is
/// enforced depends on the machine, and ProxyHost says at start-up which it cannot enforce.
/// </summary>
public sealed record ServerLimits
{
    /// <summary>No limits.</summary>
    public static readonly ServerLimits None = new();

    /// <summary>Memory, in bytes (<c>memory</c>, e.g. <c>"2G"</c>).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>CPU, in cores (<c>cpu</c>, e.g. <c>1.5</c>).</summary>
    public double? Cpus { get; init; }

    /// <summary>Processes and threads (<c>processes</c>).</summary>
    public int? Processes { get; init; }

    /// <summary>Open files per process (<c>open_files</c>).</summary>
    public int? OpenFiles { get; init; }

    /// <summary>True when no limit is set.</summary>
    public bool IsEmpty => this == None;
}
