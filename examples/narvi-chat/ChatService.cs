using System.Text.Json;
using System.Text.Json.Nodes;
using ProxyHost.Apps.Messaging;
using ProxyHost.Apps.RequestServices;

namespace NarviChat;

/// <summary>
/// One chat room per service id, shared by everyone in it. A browser sends its text; the room broadcasts
/// <c>{"type":"message","from","text"}</c> to every session and keeps the last 50, served to new pages by the
/// <c>history</c> request service. State needs no locks: every event runs on the room's own queue.
/// </summary>
public sealed class ChatService
{
    private const int HistorySize = 50;
    private readonly IWebAppServices _services;
    private readonly Queue<JsonObject> _history = new();
    private readonly Dictionary<string, string> _names = [];
    private int _messagesSinceLastPoll;

    public ChatService(IWebAppServices services, string greeting = "Welcome")
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        services.CreateRequestService("chat", "history", _ => ValueTask.FromResult(
            RequestServiceResponse.Json(new JsonArray([.. _history.Select(m => (JsonNode)m.DeepClone())]).ToJsonString())));
        services.AddSessionOpenListener((_, sessionId, query, _) =>
        {
            _names[sessionId] = query.TryGetValue("name", out var name) && name.Length > 0 ? name : "guest-" + sessionId[..4];
            services.Send(Json(new JsonObject { ["type"] = "welcome", ["text"] = $"{greeting} to {services.GetServiceId()}", ["users"] = _names.Count }), forSessionId: sessionId);
            services.Send(Json(new JsonObject { ["type"] = "joined", ["from"] = _names[sessionId], ["users"] = _names.Count }), exceptSessionId: sessionId);
        });
        services.AddSessionCloseListener(sessionId =>
        {
            if (_names.Remove(sessionId, out var name))
            {
                services.Send(Json(new JsonObject { ["type"] = "left", ["from"] = name, ["users"] = _names.Count }));
            }
        });
        services.AddMessageListener((message, sessionId) =>
        {
            if (message.Text is not { Length: > 0 } text)
            {
                return;
            }
            var entry = new JsonObject { ["type"] = "message", ["from"] = _names.GetValueOrDefault(sessionId, "?"), ["text"] = text };
            _history.Enqueue(entry);
            while (_history.Count > HistorySize)
            {
                _history.Dequeue();
            }
            _messagesSinceLastPoll++;
            services.Send(Json(entry));
        });
        services.SetMetricsCallback(() =>
        {
            var metrics = new Dictionary<string, double> { ["users"] = _names.Count, ["messages"] = _messagesSinceLastPoll };
            _messagesSinceLastPoll = 0;
            return metrics;
        }, new { users = new { min = 0, max = 10, colour = "teal" }, messages = new { min = 0, max = 20, colour = "orange" } });
    }

    private static string Json(JsonObject value) => value.ToJsonString(JsonSerializerOptions.Default);
}

/// <summary>The room chooser page's service: it serves the page only.</summary>
public sealed class RoomsService
{
    public RoomsService(IWebAppServices services) => ArgumentNullException.ThrowIfNull(services);
}
