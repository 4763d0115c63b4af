using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxyHost.Proxy.Metrics;

/// <summary>
/// ProxyHost's instruments on the <see cref="MeterName"/> meter (System.Diagnostics.Metrics), so any
/// listener (the built-in Prometheus page, OpenTelemetry, dotnet-counters) can read them.
/// </summary>
public sealed class ProxyHostMetrics : IDisposable
{
    public const string MeterName = "ProxyHost";

    /// <summary>Connection kinds for <see cref="ConnectionOpened"/>.</summary>
    public const string WebSocket = "websocket";

    public const string RawSocket = "raw_socket";

    private static readonly string[] StatusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _requestBytes;
    private readonly Counter<long> _responseBytes;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _starts;
    private readonly Counter<long> _restarts;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _timeToReady;

    public ProxyHostMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("proxyhost.requests", "{request}", "Proxied requests by server and response status class");
        _requestBytes = _meter.CreateCounter<long>("proxyhost.request.bytes", "By", "Request body bytes proxied to each server");
        _responseBytes = _meter.CreateCounter<long>("proxyhost.response.bytes", "By", "Response body bytes proxied from each server");
        _duration = _meter.CreateHistogram<double>("proxyhost.request.duration", "s", "Time from a request reaching ProxyHost to its response ending, including any lazy start",
            advice: new() { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _connections = _meter.CreateUpDownCounter<long>("proxyhost.connections.open", "{connection}", "Open websocket and raw-socket connections by server");
        _starts = _meter.CreateCounter<long>("proxyhost.process.starts", "{start}", "Process starts by server");
        _restarts = _meter.CreateCounter<long>("proxyhost.process.restarts", "{restart}", "Process starts after the first, by server");
        _failures = _meter.CreateCounter<long>("proxyhost.process.failures", "{failure}", "Servers that failed to start or crash-looped");
        _timeToReady = _meter.CreateHistogram<double>("proxyhost.process.time_to_ready", "s", "Time from process start to the readiness probe succeeding",
            advice: new() { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120] });
    }

    public void RequestCompleted(string server, int statusCode, TimeSpan duration, long requestBytes, long responseBytes)
    {
        var serverTag = new KeyValuePair<string, object?>("server", server);
        _requests.Add(1, serverTag, new("status_class", StatusClass(statusCode)));
        _duration.Record(duration.TotalSeconds, serverTag);
        if (requestBytes > 0)
        {
            _requestBytes.Add(requestBytes, serverTag);
        }
        if (responseBytes > 0)
        {
            _responseBytes.Add(responseBytes, serverTag);
        }
    }

    /// <summary>Counts an open connection of <paramref name="kind"/> until the returned handle is disposed.</summary>
    public IDisposable ConnectionOpened(string server, string kind)
    {
        var tags = new TagList { { "server", server }, { "kind", kind } };
        _connections.Add(1, tags);
        return new Release(() => _connections.Add(-1, tags));
    }

    public void ProcessStarted(string server, bool restart)
    {
        _starts.Add(1, new KeyValuePair<string, object?>("server", server));
        if (restart)
        {
            _restarts.Add(1, new KeyValuePair<string, object?>("server", server));
        }
    }

    public void ProcessFailed(string server) => _failures.Add(1, new KeyValuePair<string, object?>("server", server));

    public void ProcessReady(string server, TimeSpan timeToReady) =>
        _timeToReady.Record(timeToReady.TotalSeconds, new KeyValuePair<string, object?>("server", server));

    public void Dispose() => _meter.Dispose();

    internal static string StatusClass(int statusCode) => statusCode switch
    {
        >= 100 and < 600 => StatusClasses[(statusCode / 100) - 1],
        _ => "other",
    };

    private sealed class Release(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
