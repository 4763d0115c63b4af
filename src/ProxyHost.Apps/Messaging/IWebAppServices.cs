using System.Text.Json.Nodes;
using ProxyHost.Apps.RequestServices;

namespace ProxyHost.Apps.Messaging;

/// <summary>Called with the application name, the session id, the connect URL's query parameters and the upgrade request's headers.</summary>
public delegate void SessionOpenListener(string appName, string sessionId, IReadOnlyDictionary<string, string> queryParameters, IReadOnlyDictionary<string, string> headers);

/// <summary>Called with the sending workspace, app (service) name, service id and the data.</summary>
public delegate void App2AppMessageCallback(string fromWorkspace, string fromAppName, string fromServiceId, object? data);

/// <summary>
/// What an application service gets in its constructor (Narvi's <c>WebAppServices</c>): sending to
/// browser sessions, listening for their events, request services, metrics and app-to-app messages.
/// Every callback registered here runs on the instance's own queue, one at a time, so app code needs no
/// locks; the members may be called from any thread.
/// </summary>
public interface IWebAppServices
{
    /// <summary>Sends to one session (<paramref name="forSessionId"/>), to all but one (<paramref name="exceptSessionId"/>), or to all;
    /// <paramref name="forSessionId"/> wins when both are given. Text goes as a text frame, bytes as a binary frame.</summary>
    void Send(AppMessage message, string? forSessionId = null, string? exceptSessionId = null);

    /// <summary>A message from a browser session, with that session's id. Empty text frames are heartbeats and never arrive here.</summary>
    void AddMessageListener(Action<AppMessage, string> listener);

    void AddSessionOpenListener(SessionOpenListener listener);

    /// <summary>Called with the session id once the session's websocket has closed.</summary>
    void AddSessionCloseListener(Action<string> listener);

    /// <summary>Called once when this instance is about to close (stopped, idle, or the server stopping).</summary>
    void AddAppCloseListener(Action listener);

    /// <summary>
    /// Serves <paramref name="handlerPattern"/> (segments starting with <c>$</c> are path parameters) under the
    /// app's URL for this instance; with <paramref name="sessionId"/> under <c>session/{id}/</c> and removed
    /// when that session closes. Returns the handler id and the URL relative to the app page.
    /// </summary>
    (string HandlerId, string Url) CreateRequestService(string appName, string handlerPattern, RequestServiceHandler handler, string requestMethod = "GET", string? sessionId = null);

    void RemoveRequestService(string handlerId);

    /// <summary>Polled at the monitoring interval (on this instance's queue); <paramref name="metricsMetadata"/> maps each
    /// metric name to its display hints (<c>min</c>, <c>max</c>, <c>colour</c>, ...), serialized to JSON as given.</summary>
    void SetMetricsCallback(Func<IReadOnlyDictionary<string, double>?> callback, object? metricsMetadata);

    /// <summary>Receives the whole admin JSON at every monitoring tick.</summary>
    void SetAdminListener(Action<JsonObject> listener);

    void SetApp2AppMessageCallback(App2AppMessageCallback callback);

    /// <summary>Delivers <paramref name="data"/> (in process, not serialized) to a running instance of another app's shared service.</summary>
    /// <returns>True if that instance was found and the message queued for it.</returns>
    bool SendToApp(string workspaceId, string appName, string serviceId, object? data);

    string GetServiceId();

    string GetWorkspaceId();

    /// <summary>The application service name (as in Narvi, not a frontend app's name).</summary>
    string GetAppName();
}
