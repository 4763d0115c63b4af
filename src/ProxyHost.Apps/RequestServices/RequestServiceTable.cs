using System.Collections.Concurrent;
using ProxyHost.Apps.Sessions;

namespace ProxyHost.Apps.RequestServices;

/// <summary>One request service: where it is served and the instance whose queue runs it.</summary>
internal sealed record RequestServiceRegistration(
    string Id, string Workspace, string AppName, string ServiceId, string? SessionId, string Method, PathPattern Pattern,
    ServiceInstance Instance, RequestServiceHandler Handler);

/// <summary>Every live request service, found by the app URL it lives under. Safe for concurrent use.</summary>
internal sealed class RequestServiceTable
{
    private readonly ConcurrentDictionary<string, RequestServiceRegistration> _byId = new(StringComparer.Ordinal);

    public void Add(RequestServiceRegistration registration) => _byId[registration.Id] = registration;

    public bool Remove(string id) => _byId.TryRemove(id, out _);

    public void RemoveAll(ServiceInstance instance, string? sessionId = null)
    {
        foreach (var registration in _byId.Values)
        {
            if (registration.Instance == instance && (sessionId is null || registration.SessionId == sessionId))
            {
                _byId.TryRemove(registration.Id, out _);
            }
        }
    }

    /// <summary>
    /// Finds the service for <paramref name="rest"/> (the path after <c>{service_id}/</c>); session-scoped
    /// services live under <c>session/{session_id}/</c>. <paramref name="otherMethods"/> lists the methods
    /// served at that path when none matches <paramref name="method"/>.
    /// </summary>
    public (RequestServiceRegistration Registration, Dictionary<string, string> Parameters)? Find(
        string workspace, string appName, string serviceId, IReadOnlyList<string> rest, string method, out IReadOnlyList<string> otherMethods)
    {
        var others = new List<string>();
        otherMethods = others;
        var sessionId = rest.Count > 2 && rest[0] == "session" ? rest[1] : null;
        foreach (var registration in _byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (registration.Workspace != workspace || registration.AppName != appName || registration.ServiceId != serviceId)
            {
                continue;
            }
            IReadOnlyList<string> path = registration.SessionId is null ? rest : sessionId == registration.SessionId ? rest.Skip(2).ToList() : [];
            if (path.Count == 0 || registration.Pattern.Match(path) is not { } parameters)
            {
                continue;
            }
            if (string.Equals(registration.Method, method, StringComparison.OrdinalIgnoreCase)
                || (registration.Method == "GET" && string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase)))
            {
                return (registration, parameters);
            }
            others.Add(registration.Method);
        }
        return null;
    }
}
