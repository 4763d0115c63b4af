using System.Diagnostics.Metrics;
using ProxyHost.Proxy.Metrics;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Resources;

namespace ProxyHost.Hosting.Metrics;

/// <summary>
/// Each running server's latest resource sample as Prometheus series: <c>proxyhost_server_memory_bytes</c>,
/// <c>proxyhost_server_cpu_seconds_total</c> and <c>proxyhost_server_processes</c>, labelled by server.
/// </summary>
internal sealed class ServerResourceMetrics
{
    public ServerResourceMetrics(IMeterFactory meterFactory, IServerProcessSupervisor supervisor, IServerResourceMonitor monitor)
    {
        var meter = meterFactory.Create(ProxyHostMetrics.MeterName);
        meter.CreateObservableGauge("proxyhost.server.memory_bytes", () => Observe(supervisor, monitor, u => u.MemoryBytes), "By",
            "Resident memory of each running server's whole process tree, at the latest sample");
        meter.CreateObservableCounter("proxyhost.server.cpu", () => Observe(supervisor, monitor, u => u.CpuSeconds), "s",
            "CPU time used by each running server's live processes, at the latest sample");
        meter.CreateObservableGauge("proxyhost.server.processes", () => Observe(supervisor, monitor, u => u.Processes), "{process}",
            "Processes in each running server's tree, at the latest sample");
    }

    private static IEnumerable<Measurement<double>> Observe(IServerProcessSupervisor supervisor, IServerResourceMonitor monitor, Func<ResourceUsage, double> value)
    {
        foreach (var snapshot in supervisor.GetSnapshots())
        {
            if (snapshot.State == ServerProcessState.Running && monitor.GetUsage(snapshot.Name) is { } usage)
            {
                yield return new Measurement<double>(value(usage), new KeyValuePair<string, object?>("server", snapshot.Name));
            }
        }
    }
}
