using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyHost.Apps.Messaging;
using ProxyHost.Apps.RequestServices;

namespace ProxyHost.Apps.Sessions;

internal sealed partial class ServiceInstance
{
    private static long s_requestServiceSequence;

    /// <summary>The instance's registered callbacks; lists are swapped whole, so the queue reads them without locks.</summary>
    private sealed class Listeners
    {
        public ImmutableArray<Action<AppMessage, string>> Message = [];
        public ImmutableArray<SessionOpenListener> SessionOpen = [];
        public ImmutableArray<Action<string>> SessionClose = [];
        public ImmutableArray<Action> AppClose = [];
        public volatile Func<IReadOnlyDictionary<string, double>?>? Metrics;
        public volatile JsonNode? MetricsMetadata;
        public volatile Action<JsonObject>? Admin;
        public volatile App2AppMessageCallback? App2App;
    }

    /// <summary>The <see cref="IWebAppServices"/> handed to the app's constructor.</summary>
    private sealed class InstanceServices(ServiceInstance instance) : IWebAppServices
    {
        private Listeners L => instance._listeners;

        public void Send(AppMessage message, string? forSessionId = null, string? exceptSessionId = null) =>
            instance.SendToSessions(message, forSessionId, exceptSessionId);

        public void AddMessageListener(Action<AppMessage, string> listener) =>
            ImmutableInterlocked.Update(ref L.Message, l => l.Add(listener ?? throw new ArgumentNullException(nameof(listener))));

        public void AddSessionOpenListener(SessionOpenListener listener) =>
            ImmutableInterlocked.Update(ref L.SessionOpen, l => l.Add(listener ?? throw new ArgumentNullException(nameof(listener))));

        public void AddSessionCloseListener(Action<string> listener) =>
            ImmutableInterlocked.Update(ref L.SessionClose, l => l.Add(listener ?? throw new ArgumentNullException(nameof(listener))));

        public void AddAppCloseListener(Action listener) =>
            ImmutableInterlocked.Update(ref L.AppClose, l => l.Add(listener ?? throw new ArgumentNullException(nameof(listener))));

        public (string HandlerId, string Url) CreateRequestService(
            string appName, string handlerPattern, RequestServiceHandler handler, string requestMethod = "GET", string? sessionId = null)
        {
            ArgumentNullException.ThrowIfNull(handler);
            ArgumentException.ThrowIfNullOrWhiteSpace(requestMethod);
            if (instance._host.FindAppOf(instance.Service, appName) is null)
            {
                throw new ArgumentException($"app '{appName}' is not an app of service '{instance.Service.Name}' in workspace '{instance.Service.Workspace}'", nameof(appName));
            }
            if (sessionId is not null && !instance._sessions.ContainsKey(sessionId))
            {
                throw new ArgumentException($"session '{sessionId}' is not connected to this instance", nameof(sessionId));
            }
            var pattern = PathPattern.Parse(handlerPattern);
            var id = "rs" + Interlocked.Increment(ref s_requestServiceSequence).ToString("D10", CultureInfo.InvariantCulture);
            instance._host.RequestServices.Add(new RequestServiceRegistration(
                id, instance.Service.Workspace, appName, instance.Key.ServiceId, sessionId, requestMethod.ToUpperInvariant(), pattern, instance, handler));
            return (id, sessionId is null ? pattern.Text : $"session/{sessionId}/{pattern.Text}");
        }

        public void RemoveRequestService(string handlerId) => instance._host.RequestServices.Remove(handlerId);

        public void SetMetricsCallback(Func<IReadOnlyDictionary<string, double>?> callback, object? metricsMetadata)
        {
            L.MetricsMetadata = metricsMetadata as JsonNode ?? JsonSerializer.SerializeToNode(metricsMetadata);
            L.Metrics = callback;
        }

        public void SetAdminListener(Action<JsonObject> listener) => L.Admin = listener;

        public void SetApp2AppMessageCallback(App2AppMessageCallback callback) => L.App2App = callback;

        public bool SendToApp(string workspaceId, string appName, string serviceId, object? data) =>
            instance._host.SendToApp(instance, workspaceId, appName, serviceId, data);

        public string GetServiceId() => instance.Key.ServiceId;

        public string GetWorkspaceId() => instance.Service.Workspace;

        public string GetAppName() => instance.Service.Name;
    }
}
