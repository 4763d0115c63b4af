using System.Collections.Concurrent;
using System.Text;
using ProxyHost.Apps.Messaging;
using ProxyHost.Apps.RequestServices;

namespace ProxyHost.Apps.Tests.Infrastructure;

/// <summary>The Narvi guide's echo service, plus routing commands for the for/except tests.</summary>
public sealed class EchoService
{
    public EchoService(IWebAppServices services)
    {
        services.AddMessageListener((message, sessionId) =>
        {
            if (!message.IsText)
            {
                services.Send(message.Binary.ToArray().Reverse().ToArray(), forSessionId: sessionId);
            }
            else if (message.Text!.StartsWith("all:", StringComparison.Ordinal))
            {
                services.Send(message.Text[4..]);
            }
            else if (message.Text.StartsWith("others:", StringComparison.Ordinal))
            {
                services.Send(message.Text[7..], exceptSessionId: sessionId);
            }
            else if (message.Text.StartsWith("both:", StringComparison.Ordinal))
            {
                services.Send(message.Text[5..], forSessionId: sessionId, exceptSessionId: sessionId);
            }
            else
            {
                services.Send("echo:" + message.Text, forSessionId: sessionId);
            }
        });
    }
}

/// <summary>Reports its lifecycle to <see cref="EventLog"/> under its tag; counts messages to prove heartbeats are swallowed.</summary>
public sealed class LifecycleService
{
    private int _messages;

    public LifecycleService(IWebAppServices services, string tag)
    {
        var id = services.GetServiceId();
        EventLog.Record(tag, $"constructed:{id}");
        services.AddSessionOpenListener((app, session, query, headers) =>
        {
            EventLog.Record(tag, $"open:{id}:{app}:{query.GetValueOrDefault("q")}:{headers.ContainsKey("Host")}");
            services.Send("welcome", forSessionId: session);
        });
        services.AddSessionCloseListener(session => EventLog.Record(tag, $"close:{id}:{session}"));
        services.AddAppCloseListener(() => EventLog.Record(tag, $"appclose:{id}"));
        services.AddMessageListener((message, session) => services.Send($"count:{++_messages}:{message}", forSessionId: session));
    }
}

/// <summary>Typed constructor parameters bound from JSON.</summary>
public sealed class TypedService(IWebAppServices services, int count, string greetingText, double ratio = 1.5, string[]? tags = null)
{
    public IWebAppServices Services { get; } = services;

    public string Describe() => $"{count}/{greetingText}/{ratio}/{string.Join(',', tags ?? [])}";
}

/// <summary>Request services: shared ones made in the constructor, a session-scoped one per session.</summary>
public sealed class RequestingService
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Departures = new();
    private int _calls;

    /// <summary>Completes once the instance has processed the session's departure (its request services are gone by then).</summary>
    public static Task WhenSessionClosed(string sessionId) =>
        Departures.GetOrAdd(sessionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public RequestingService(IWebAppServices services)
    {
        services.CreateRequestService("req", "items/$id", r =>
            ValueTask.FromResult(RequestServiceResponse.Text($"item:{r.PathParameters["id"]}:{r.QueryParameters.GetValueOrDefault("q")}:{++_calls}")));
        services.CreateRequestService("req", "items/$id", r =>
            ValueTask.FromResult(new RequestServiceResponse(201, r.Body, "application/octet-stream", new Dictionary<string, string> { ["X-Item"] = r.PathParameters["id"] })),
            "PUT");
        services.CreateRequestService("req", "files/$$path", r => ValueTask.FromResult(RequestServiceResponse.Text("path:" + r.PathParameters["path"])));
        services.CreateRequestService("req", "slow", async r =>
        {
            await Task.Delay(50);
            return RequestServiceResponse.Text("slow done");
        });
        services.CreateRequestService("req", "fails", r => throw new InvalidOperationException("boom"));
        var (removable, _) = services.CreateRequestService("req", "removable", r => ValueTask.FromResult(RequestServiceResponse.Text("here")));
        services.AddSessionOpenListener((app, session, query, headers) =>
        {
            var (_, url) = services.CreateRequestService("req", "mine/$x", r => ValueTask.FromResult(RequestServiceResponse.Text($"{r.SessionId}:{r.PathParameters["x"]}")), sessionId: session);
            services.Send(url, forSessionId: session);
        });
        services.AddSessionCloseListener(session =>
            Departures.GetOrAdd(session, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult());
        services.AddMessageListener((message, session) =>
        {
            if (message.Text == "remove")
            {
                services.RemoveRequestService(removable);
                services.Send("removed", forSessionId: session);
            }
        });
    }
}

/// <summary>Forwards "to:ws/app/sid:data" with SendToApp; reports what it receives from other apps.</summary>
public sealed class RelayService
{
    public RelayService(IWebAppServices services)
    {
        services.SetApp2AppMessageCallback((ws, app, sid, data) => services.Send($"from:{ws}/{app}/{sid}:{data}"));
        services.AddMessageListener((message, session) =>
        {
            var parts = message.Text!.Split(':', 3);
            var target = parts[1].Split('/');
            services.Send("sent:" + services.SendToApp(target[0], target[1], target[2], parts[2]), forSessionId: session);
        });
    }
}

/// <summary>A metric that counts polls; pushes every admin snapshot to its sessions.</summary>
public sealed class MetricsService
{
    private double _polls;

    public MetricsService(IWebAppServices services)
    {
        services.SetMetricsCallback(() => new Dictionary<string, double> { ["polls"] = ++_polls }, new { polls = new { min = 0, max = 100, colour = "red" } });
        services.SetAdminListener(admin => services.Send(admin.ToJsonString()));
    }
}

/// <summary>Blocks its own queue on request, and detects any overlap between its events.</summary>
public sealed class SlowService
{
    private int _inside;

    public SlowService(IWebAppServices services)
    {
        services.AddMessageListener((message, session) =>
        {
            if (Interlocked.Increment(ref _inside) != 1)
            {
                services.Send("overlap!", forSessionId: session);
            }
            if (message.Text!.StartsWith("block:", StringComparison.Ordinal))
            {
                // Holds this instance's queue until the test releases it.
                Gates.Get(message.Text[6..]).Wait(TestTimeouts.Default);
            }
            Interlocked.Decrement(ref _inside);
            services.Send("done:" + message.Text, forSessionId: session);
        });
    }
}

/// <summary>Named gates a test opens to let a blocked service go on.</summary>
public static class Gates
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ManualResetEventSlim> All = new();

    public static ManualResetEventSlim Get(string name) => All.GetOrAdd(name, _ => new ManualResetEventSlim());
}

/// <summary>"flood:COUNT:BYTES" sends that many text messages to the sender at once; reports session closes.</summary>
public sealed class FloodService
{
    public FloodService(IWebAppServices services, string tag)
    {
        services.AddSessionCloseListener(session => EventLog.Record(tag, "close:" + session));
        services.AddMessageListener((message, session) =>
        {
            var parts = message.Text!.Split(':');
            var payload = new string('x', int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
            for (var i = 0; i < int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                services.Send(payload, forSessionId: session);
            }
            EventLog.Record(tag, "flooded");
        });
    }
}

public sealed class ThrowingService
{
    public ThrowingService(IWebAppServices services) => throw new InvalidOperationException("cannot start " + services.GetServiceId());
}

public static class Bytes
{
    public static byte[] Of(string text) => Encoding.UTF8.GetBytes(text);
}
