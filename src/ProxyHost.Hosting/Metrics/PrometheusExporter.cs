using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using ProxyHost.Proxy.Metrics;

namespace ProxyHost.Hosting.Metrics;

/// <summary>
/// A small Prometheus text-format exporter over <see cref="MeterListener"/>: it aggregates this host's
/// <see cref="ProxyHostMetrics.MeterName"/> instruments (counters as sums, up-down counters as gauges,
/// histograms as cumulative buckets) and renders them for <c>GET &lt;base_url&gt;metrics</c>.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private const int MaxCachedLabelSets = 4096;

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Lock _renderLock = new();
    private readonly Dictionary<Instrument, Series> _series = [];
    private readonly Dictionary<LabelKey, string> _labels = [];

    public PrometheusExporter(IMeterFactory meterFactory, ProxyHostMetrics metrics)
    {
        // Resolving the metrics first creates the meter, so its instruments are published below.
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meter: tests run several hosts in one process, each with its own factory.
            if (instrument.Meter.Name == ProxyHostMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                lock (_lock)
                {
                    _series[instrument] = new Series(instrument, Boundaries(instrument));
                }
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        var text = new StringBuilder(4096);
        lock (_renderLock)
        {
            // Observable gauges report their current values on demand; stale label sets (closed rooms) must vanish.
            lock (_lock)
            {
                foreach (var series in _series.Values.Where(s => s.Instrument.IsObservable))
                {
                    series.Reset();
                }
            }
            _listener.RecordObservableInstruments();
            lock (_lock)
            {
                foreach (var series in _series.Values.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
                {
                    series.Render(text);
                }
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_lock)
        {
            if (_series.TryGetValue(instrument, out var series))
            {
                series.Add(CachedLabels(tags), value);
            }
        }
    }

    /// <summary>
    /// Every proxied request records a few measurements with one of a handful of label sets; rendering the
    /// set anew each time cost several strings per request. Call with the lock held.
    /// </summary>
    private string CachedLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length > 3)
        {
            return Labels(tags);
        }
        var key = new LabelKey(Tag(tags, 0), Tag(tags, 1), Tag(tags, 2));
        if (!_labels.TryGetValue(key, out var labels))
        {
            labels = Labels(tags);
            if (_labels.Count < MaxCachedLabelSets)
            {
                _labels[key] = labels;
            }
        }
        return labels;
    }

    private static (string, object?) Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, int index) =>
        index < tags.Length ? (tags[index].Key, tags[index].Value) : ("", null);

    private static double[]? Boundaries(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets,
        Histogram<long> => DefaultBuckets,
        _ => null,
    };

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{tag.Key}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private readonly record struct LabelKey((string, object?) First, (string, object?) Second, (string, object?) Third);

    /// <summary>One instrument's aggregated values per label set.</summary>
    private sealed class Series(Instrument instrument, double[]? boundaries)
    {
        private readonly Dictionary<string, double> _sums = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Histogram> _histograms = new(StringComparer.Ordinal);

        public Instrument Instrument { get; } = instrument;

        private bool IsHistogram => boundaries is not null;

        private bool IsCounter => Instrument is Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double>;

        public void Add(string labels, double value)
        {
            if (boundaries is not null)
            {
                if (!_histograms.TryGetValue(labels, out var histogram))
                {
                    _histograms[labels] = histogram = new Histogram(new long[boundaries.Length + 1]);
                }
                var bucket = 0;
                while (bucket < boundaries.Length && value > boundaries[bucket])
                {
                    bucket++;
                }
                histogram.Buckets[bucket]++;
                histogram.Sum += value;
                histogram.Count++;
            }
            else
            {
                _sums[labels] = _sums.GetValueOrDefault(labels) + value;
            }
        }

        public void Reset() => _sums.Clear();

        public void Render(StringBuilder text)
        {
            var name = Instrument.Name.Replace('.', '_') + (Instrument.Unit == "s" ? "_seconds" : "");
            var type = IsHistogram ? "histogram" : IsCounter ? "counter" : "gauge";
            var sample = IsCounter ? name + "_total" : name;
            text.Append("# HELP ").Append(sample).Append(' ').Append(Instrument.Description).Append('\n')
                .Append("# TYPE ").Append(sample).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in _sums.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(sample).Append(Braces(labels)).Append(' ').Append(Number(value)).Append('\n');
            }
            foreach (var (labels, histogram) in _histograms.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                long cumulative = 0;
                for (var i = 0; i <= boundaries!.Length; i++)
                {
                    cumulative += histogram.Buckets[i];
                    var le = $"le=\"{Number(i < boundaries.Length ? boundaries[i] : double.PositiveInfinity)}\"";
                    text.Append(name).Append("_bucket{").Append(labels.Length == 0 ? le : labels + "," + le).Append("} ").Append(cumulative).Append('\n');
                }
                text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(histogram.Sum)).Append('\n')
                    .Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(histogram.Count).Append('\n');
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private sealed class Histogram(long[] buckets)
        {
            public long[] Buckets { get; } = buckets;

            public double Sum { get; set; }

            public long Count { get; set; }
        }
    }
}
