using Microsoft.Extensions.Hosting;

namespace ProxyHost.Relay;

/// <summary>Runs every relay's upstream link for the life of the host.</summary>
internal sealed class RelayUpstreamService(RelayRegistry registry) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _links = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var hub in registry.Hubs)
        {
            if (hub.Upstream is { } upstream)
            {
                _links.Add(Task.Run(() => upstream.RunAsync(_stopping.Token), CancellationToken.None));
            }
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_links).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
