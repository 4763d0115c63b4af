using System.Text.Json.Serialization;
using ProxyHost.Configuration;
using ProxyHost.Proxy.Activity;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Resources;
using ProxyHost.Supervision.Logs;

namespace ProxyHost.Hosting.Api;

/// <summary><c>GET api/status</c>: the shape JupyterHub's activity tracking reads.</summary>
/// <param name="Servers">How many servers are running now.</param>
public sealed record StatusResponse(DateTimeOffset Started, DateTimeOffset LastActivity, int Servers);

/// <summary>One server as the API, the pages and the CLI see it.</summary>
public sealed record ServerInfo
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>Path to open, relative to the base URL.</summary>
    public required string Url { get; init; }

    public string? Category { get; init; }

    public bool NewBrowserTab { get; init; }

    public bool Managed { get; init; }

    /// <summary>not_started, starting, running, stopping, stopped, exited, backoff or failed.</summary>
    public required string State { get; init; }

    public int? Pid { get; init; }

    public int? Port { get; init; }

    public string? UnixSocket { get; init; }

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Ready { get; init; }

    public int Restarts { get; init; }

    public DateTimeOffset? LastActivity { get; init; }

    public double? IdleTimeout { get; init; }

    public ExitInfo? LastExit { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>What the server's process tree used at the latest sample; null when it does not run or sampling is off.</summary>
    public ResourceInfo? Resources { get; init; }

    internal static ServerInfo From(ServerProcessSnapshot snapshot, ServerProcessDefinition? definition, ServerActivityTracker activity, IServerResourceMonitor resources) => new()
    {
        Name = snapshot.Name,
        Title = definition?.LauncherTitle ?? snapshot.Name,
        Url = definition?.LauncherPath ?? snapshot.Name + "/",
        Category = definition?.LauncherEntry.Category,
        NewBrowserTab = definition?.NewBrowserTab ?? true,
        Managed = snapshot.IsManaged,
        State = StateName(snapshot.State),
        Pid = snapshot.ProcessId,
        Port = snapshot.Endpoint is { IsUnixSocket: false } tcp ? tcp.Port : null,
        UnixSocket = snapshot.Endpoint?.UnixSocketPath,
        Started = snapshot.StartedAt,
        Ready = snapshot.ReadyAt,
        Restarts = snapshot.Restarts,
        LastActivity = activity.GetLastActivity(snapshot.Name),
        IdleTimeout = definition?.IdleTimeout?.TotalSeconds,
        LastExit = snapshot.LastExit is { } exit ? new ExitInfo(exit.ExitCode, exit.Signal, exit.Time) { LimitReached = exit.LimitReached } : null,
        LastError = snapshot.LastError,
        RetryAt = snapshot.RetryAt,
        Resources = snapshot.State == ServerProcessState.Running && resources.GetUsage(snapshot.Name) is { } usage ? ResourceInfo.From(usage) : null,
    };

    internal static string StateName(ServerProcessState state) => state switch
    {
        ServerProcessState.NotStarted => "not_started",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>What a server's whole process tree used at one sample.</summary>
/// <param name="CpuPercent">Percent of one core since the previous sample; null for a run's first sample.</param>
/// <param name="PssBytes">Proportional set size (shared pages counted once); null where the kernel does not give it.</param>
public sealed record ResourceInfo(
    DateTimeOffset SampledAt, long MemoryBytes, long? PssBytes, double CpuSeconds, double? CpuPercent, int Processes, int Threads, int? OpenFiles)
{
    internal static ResourceInfo From(ResourceUsage usage) =>
        new(usage.SampledAt, usage.MemoryBytes, usage.PssBytes, usage.CpuSeconds, usage.CpuPercent, usage.Processes, usage.Threads, usage.OpenFiles);
}

/// <summary>A server's samples of the last 10 minutes, oldest first.</summary>
public sealed record ResourceHistoryResponse(string Name, IReadOnlyList<ResourceInfo> Samples);

/// <summary>How a process ended.</summary>
public sealed record ExitInfo(int Code, int? Signal, DateTimeOffset Time)
{
    /// <summary>The limit that ended the process, in words ("out of memory at its 2 GiB limit"), when one did.</summary>
    public string? LimitReached { get; init; }
}

/// <summary>One output line.</summary>
/// <param name="Stream">stdout, stderr or proxyhost (lines ProxyHost wrote about the process).</param>
public sealed record LogLineInfo(long Seq, DateTimeOffset Time, string Stream, string Text)
{
    internal static LogLineInfo From(LogLine line) => new(line.Sequence, line.Time, line.Stream switch
    {
        LogStream.StandardOutput => "stdout",
        LogStream.StandardError => "stderr",
        _ => "proxyhost",
    }, line.Text);
}

/// <summary><c>GET api/servers/NAME/log</c>.</summary>
public sealed record LogResponse(string Name, IReadOnlyList<LogLineInfo> Lines);

/// <summary>Any API error; <see cref="Server"/> is set when a start or restart failed.</summary>
public sealed record ApiError(string Error, ServerInfo? Server = null);

/// <summary>Source-generated snake_case JSON for every API type.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ServerInfo))]
[JsonSerializable(typeof(IReadOnlyList<ServerInfo>))]
[JsonSerializable(typeof(LogLineInfo))]
[JsonSerializable(typeof(LogResponse))]
[JsonSerializable(typeof(ResourceHistoryResponse))]
[JsonSerializable(typeof(ApiError))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
