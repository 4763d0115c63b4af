using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ProxyHost.Apps.Hosting;

/// <summary>Settings of an <see cref="AppServiceRegistry"/>: where its URLs live and how it monitors instances.</summary>
public sealed class NarviOptions
{
    private string _basePath = "/narvi";

    /// <summary>The URL prefix of every app URL, without a trailing '/', e.g. <c>/narvi</c>.</summary>
    public string BasePath
    {
        get => _basePath;
        set => _basePath = "/" + (value ?? "").Trim('/');
    }

    /// <summary>An absolute path answering the admin JSON, or null for none.</summary>
    public string? AdminPath { get; set; }

    /// <summary>How often instances' metrics callbacks are polled and admin listeners pushed; null turns monitoring off.</summary>
    public TimeSpan? MonitoringInterval { get; set; }

    /// <summary>How long collected metrics are kept; null keeps them for as long as the instance runs.</summary>
    public TimeSpan? MonitoringRetention { get; set; }

    /// <summary>The path redirect sources are relative to (Narvi: the host root).</summary>
    public string RedirectRoot { get; set; } = "/";

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;
}
