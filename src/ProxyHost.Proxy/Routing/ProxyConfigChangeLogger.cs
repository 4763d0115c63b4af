using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace ProxyHost.Proxy.Routing;

/// <summary>
/// Reports route updates: YARP keeps the previous routes when new ones fail to load or apply and says
/// nothing by default, which would leave a user wondering why an edit had no effect.
/// </summary>
internal sealed partial class ProxyConfigChangeLogger(ILogger<ProxyConfigChangeLogger> logger) : IConfigChangeListener
{
    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) =>
        Log.Failed(logger, exception.Message, exception);

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception) =>
        Log.Failed(logger, exception.Message, exception);

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs) =>
        Log.Applied(logger, proxyConfigs.Sum(c => c.Routes.Count), string.Join(",", proxyConfigs.Select(c => c.RevisionId)));

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.RoutesApplied, Level = LogLevel.Debug, Message = "Routes applied: {Count} route(s), revision {Revision}")]
        public static partial void Applied(ILogger logger, int count, string revision);

        [LoggerMessage(EventId = ProxyEventIds.RoutesRejected, Level = LogLevel.Error, Message = "The new routes could not be applied; the previous ones stay in force: {Reason}")]
        public static partial void Failed(ILogger logger, string reason, Exception exception);
    }
}
