using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Readiness;

/// <summary>One readiness attempt against a backend; the retry loop lives in the readiness pipeline.</summary>
internal interface IReadinessProbe
{
    /// <summary>True when the backend answered; false when it is not ready yet. Never throws for "not ready".</summary>
    ValueTask<bool> ProbeAsync(ServerEndpoint endpoint, CancellationToken cancellationToken);
}
