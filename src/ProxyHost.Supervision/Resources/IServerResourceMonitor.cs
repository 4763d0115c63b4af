namespace ProxyHost.Supervision.Resources;

/// <summary>What each running server's process tree uses, sampled on an interval (<see cref="Lifecycle.SupervisionOptions.ResourceSampleInterval"/>).</summary>
public interface IServerResourceMonitor
{
    /// <summary>The latest sample of a running server; null when it does not run or sampling is off.</summary>
    ResourceUsage? GetUsage(string name);

    /// <summary>The server's samples of the last 10 minutes, oldest first.</summary>
    IReadOnlyList<ResourceUsage> GetHistory(string name);
}
