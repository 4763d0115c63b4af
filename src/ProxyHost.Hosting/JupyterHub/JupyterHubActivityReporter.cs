using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProxyHost.Proxy.Activity;

namespace ProxyHost.Hosting.JupyterHub;

/// <summary>Settings for reporting activity to JupyterHub.</summary>
public sealed class JupyterHubActivityOptions
{
    /// <summary>The Hub's activity endpoint (<c>JUPYTERHUB_ACTIVITY_URL</c>).</summary>
    public Uri? ActivityUrl { get; set; }

    /// <summary>Sent as <c>Authorization: token …</c> (<c>JUPYTERHUB_API_TOKEN</c>).</summary>
    public string? ApiToken { get; set; }

    /// <summary>The named server (<c>JUPYTERHUB_SERVER_NAME</c>), empty for the default one.</summary>
    public string ServerName { get; set; } = "";

    /// <summary>How often to report; jupyter-server-proxy's standalone default is 300 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// POSTs <c>{"servers": {NAME: {"last_activity": T}}, "last_activity": T}</c> to the Hub every interval when
/// there was activity since the last report (the same activity as <c>api/status</c> reports), with <c>Authorization: token …</c>, as jupyter-server-proxy's
/// standalone mode does; a failed POST is logged and retried at the next interval.
/// </summary>
internal sealed partial class JupyterHubActivityReporter(
    IOptions<JupyterHubActivityOptions> options, ServerActivityTracker activity, TimeProvider time, ILogger<JupyterHubActivityReporter> logger)
    : BackgroundService
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private DateTimeOffset? _reported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.ActivityUrl is null || settings.Interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReportAsync(settings, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task ReportAsync(JupyterHubActivityOptions settings, CancellationToken cancellationToken)
    {
        if (activity.LastActivity is not { } last || last == _reported)
        {
            return;
        }
        var timestamp = last.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["servers"] = new Dictionary<string, object> { [settings.ServerName] = new Dictionary<string, string> { ["last_activity"] = timestamp } },
            ["last_activity"] = timestamp,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.ActivityUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (settings.ApiToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("token", settings.ApiToken);
        }
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _reported = last;
                return;
            }
            Log.ReportFailed(logger, settings.ActivityUrl!, $"HTTP {(int)response.StatusCode}");
        }
        catch (HttpRequestException e)
        {
            Log.ReportFailed(logger, settings.ActivityUrl!, e.Message);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.ReportFailed(logger, settings.ActivityUrl!, e.Message);
        }
    }

    public override void Dispose()
    {
        _client.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.HubActivityReportFailed, Level = LogLevel.Warning, Message = "Could not report activity to JupyterHub at {Url}: {Reason}; retrying at the next interval")]
        public static partial void ReportFailed(ILogger logger, Uri url, string reason);
    }
}
