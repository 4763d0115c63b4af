using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using ProxyHost.Configuration;

namespace ProxyHost.Relay.Upstream;

/// <summary>
/// The upstream connect pipeline. Budget: unlimited attempts (a relay keeps trying for as long as it runs);
/// each attempt may take <see cref="RelayTuning.ConnectTimeout"/>; waits start at
/// <see cref="RelayTuning.ReconnectBaseDelay"/> and double with jitter up to <c>reconnect_max_delay</c> (30 s).
/// Cancellation (shutdown) is never retried.
/// </summary>
internal static partial class UpstreamPipeline
{
    public static ResiliencePipeline Create(string relay, RelayOptions options, RelayTuning tuning, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder { Name = "proxyhost-relay-upstream", TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<WebSocketException>().Handle<HttpRequestException>().Handle<IOException>()
                    .Handle<SocketException>().Handle<TimeoutRejectedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = tuning.ReconnectBaseDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    Log.ConnectFailed(logger, relay, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? "", args.RetryDelay.TotalSeconds);
                    return default;
                },
            })
            .AddTimeout(tuning.ConnectTimeout)
            .Build();

    private static partial class Log
    {
        [LoggerMessage(EventId = RelayEventIds.UpstreamConnectFailed, Level = LogLevel.Warning, Message = "Relay {Relay}: upstream connect attempt {Attempt} failed ({Error}); next in {Delay:0.0} s")]
        public static partial void ConnectFailed(ILogger logger, string relay, int attempt, string error, double delay);
    }
}
