using System.Collections.Immutable;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Messaging;
using ProxyHost.Apps.RequestServices;

namespace ProxyHost.Apps.Sessions;

/// <summary>
/// One running instance of an application service: an actor. Every event it sees (construction, session
/// open/close, messages, request services, app-to-app messages, metrics polls) is a work item on its own
/// channel, run one at a time, so app code needs no locks, and a slow instance only delays itself.
/// </summary>
internal sealed partial class ServiceInstance
{
    private readonly Channel<Func<ValueTask>> _queue = Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<Exception?> _constructed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IInstanceHost _host;
    private readonly Listeners _listeners = new();
    private ImmutableDictionary<string, AppSession> _sessions = ImmutableDictionary.Create<string, AppSession>(StringComparer.Ordinal);
    private ITimer? _idleTimer;
    private long _idleGeneration;
    private object? _app;
    private volatile bool _immortal;

    private ServiceInstance(IInstanceHost host, RegisteredService service, InstanceKey key, bool immortal)
    {
        _host = host;
        Service = service;
        Key = key;
        _immortal = immortal;
        Started = host.Time.GetUtcNow();
        Services = new InstanceServices(this);
    }

    public RegisteredService Service { get; }

    public InstanceKey Key { get; }

    /// <summary>Started by <c>StartService</c> or a fixed id: never closed for being idle.</summary>
    public bool Immortal => _immortal;

    public DateTimeOffset Started { get; }

    public IWebAppServices Services { get; }

    public IReadOnlyCollection<AppSession> Sessions => _sessions.Values.ToList();

    public bool IsClosed { get; private set; }

    public bool HasMetrics => _listeners.Metrics is not null;

    public JsonNode? MetricsMetadata => _listeners.MetricsMetadata?.DeepClone();

    public bool HasAdminListener => _listeners.Admin is not null;

    /// <summary>Completes once the instance has closed and its sessions are told.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Creates the instance and queues the app's construction as its first work item.</summary>
    public static ServiceInstance Start(IInstanceHost host, RegisteredService service, InstanceKey key, bool immortal)
    {
        var instance = new ServiceInstance(host, service, key, immortal);
        _ = Task.Run(instance.RunAsync);
        instance.Post(async () =>
        {
            try
            {
                instance._app = service.Factory.Create(instance.Services);
                instance._constructed.TrySetResult(null);
            }
#pragma warning disable CA1031 // the app's constructor failing is reported to the connecting client and logged
            catch (Exception e)
#pragma warning restore CA1031
            {
                var cause = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
                Log.ConstructorFailed(host.Logger, service.Describe(key.ServiceId), cause);
                instance._constructed.TrySetResult(cause);
                await instance.CloseOnQueueAsync("service failed to start").ConfigureAwait(false);
            }
        });
        return instance;
    }

    /// <summary>Null once the app object exists; the constructor's exception if it threw.</summary>
    public Task<Exception?> Constructed => _constructed.Task;

    /// <summary>From now on the instance never closes for being idle.</summary>
    public void MakeImmortal()
    {
        _immortal = true;
        PostSync(CancelIdleTimer);
    }

    /// <summary>Queues work; false once the instance is closing.</summary>
    public bool Post(Func<ValueTask> work) => _queue.Writer.TryWrite(work);

    public bool PostSync(Action work) => Post(() =>
    {
        work();
        return ValueTask.CompletedTask;
    });

    /// <summary>Runs <paramref name="work"/> on the queue and returns its result; <paramref name="ifClosed"/> when the instance closed first.</summary>
    public Task<T> InvokeAsync<T>(Func<ValueTask<T>> work, T ifClosed)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(async () =>
            {
                if (IsClosed)
                {
                    result.TrySetResult(ifClosed);
                    return;
                }
                try
                {
                    result.TrySetResult(await work().ConfigureAwait(false));
                }
                catch (Exception e)
                {
                    result.TrySetException(e);
                }
            }))
        {
            result.TrySetResult(ifClosed);
        }
        return result.Task;
    }

    /// <summary>
    /// Attaches a session: queues <c>session_connected</c> as its first frame, then runs the open listeners
    /// (what they send follows that frame). False if the instance closed before the session could join.
    /// </summary>
    public Task<bool> ConnectAsync(AppSession session, string appParametersJson) => InvokeAsync(() =>
    {
        CancelIdleTimer();
        session.Enqueue(SessionConnectedFrame(session.Id, appParametersJson));
        ImmutableInterlocked.Update(ref _sessions, s => s.SetItem(session.Id, session));
        foreach (var listener in _listeners.SessionOpen)
        {
            Guard(() => listener(session.AppName, session.Id, session.QueryParameters, session.Headers), "session open listener");
        }
        return ValueTask.FromResult(true);
    }, ifClosed: false);

    /// <summary>Queues a browser message for the message listeners, holding one of the session's inbound slots until it ran.</summary>
    public async ValueTask DeliverAsync(AppSession session, AppMessage message, CancellationToken cancellationToken)
    {
        await session.InboundSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!PostSync(() =>
            {
                try
                {
                    if (!IsClosed)
                    {
                        foreach (var listener in _listeners.Message)
                        {
                            Guard(() => listener(message, session.Id), "message listener");
                        }
                    }
                }
                finally
                {
                    session.InboundSlots.Release();
                }
            }))
        {
            session.InboundSlots.Release();
        }
    }

    /// <summary>Queues the session's departure: close listeners, its request services, then idle or per-session close.</summary>
    public void Disconnect(AppSession session) => Post(async () =>
    {
        if (IsClosed || !_sessions.ContainsKey(session.Id))
        {
            return;
        }
        ImmutableInterlocked.Update(ref _sessions, s => s.Remove(session.Id));
        _host.RequestServices.RemoveAll(this, session.Id);
        foreach (var listener in _listeners.SessionClose)
        {
            Guard(() => listener(session.Id), "session close listener");
        }
        if (!Service.Shared)
        {
            await CloseOnQueueAsync("session closed").ConfigureAwait(false);
        }
        else if (_sessions.IsEmpty && !Immortal)
        {
            StartIdleTimer();
        }
    });

    /// <summary>Closes the instance after the work already queued; completes when it is closed.</summary>
    public Task CloseAsync(string reason)
    {
        Post(() => CloseOnQueueAsync(reason));
        return _closed.Task;
    }

    public Task<IReadOnlyDictionary<string, double>?> PollMetricsAsync() =>
        InvokeAsync(() => ValueTask.FromResult(_listeners.Metrics is { } callback ? Guard(callback, "metrics callback") : null), null);

    public void PushAdmin(JsonObject admin) => PostSync(() =>
    {
        if (!IsClosed && _listeners.Admin is { } listener)
        {
            Guard(() => listener(admin), "admin listener");
        }
    });

    public void ReceiveFromApp(string workspace, string appName, string serviceId, object? data) => PostSync(() =>
    {
        if (!IsClosed && _listeners.App2App is { } callback)
        {
            Guard(() => callback(workspace, appName, serviceId, data), "app2app callback");
        }
    });

    private void SendToSessions(AppMessage message, string? forSessionId, string? exceptSessionId)
    {
        var sessions = _sessions;
        if (forSessionId is not null)
        {
            if (sessions.TryGetValue(forSessionId, out var target))
            {
                target.Enqueue(message);
            }
            return;
        }
        foreach (var session in sessions.Values)
        {
            if (session.Id != exceptSessionId)
            {
                session.Enqueue(message);
            }
        }
    }

    private async ValueTask CloseOnQueueAsync(string reason)
    {
        if (IsClosed)
        {
            return;
        }
        IsClosed = true;
        CancelIdleTimer();
        _host.Detach(this);
        foreach (var listener in _listeners.AppClose)
        {
            Guard(listener, "app close listener");
        }
        _host.RequestServices.RemoveAll(this);
        foreach (var session in _sessions.Values)
        {
            session.Close(WebSocketCloseStatus.EndpointUnavailable, reason);
        }
        ImmutableInterlocked.Update(ref _sessions, s => s.Clear());
        try
        {
            if (_app is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (_app is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
#pragma warning disable CA1031 // a failing Dispose is logged; the instance is closed regardless
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(_host.Logger, "Dispose", Service.Describe(Key.ServiceId), e);
        }
        Log.Closed(_host.Logger, Service.Describe(Key.ServiceId), reason);
        _queue.Writer.TryComplete();
        _constructed.TrySetResult(new InvalidOperationException("the service instance closed"));
        _closed.TrySetResult();
    }

    private void StartIdleTimer()
    {
        var generation = Interlocked.Increment(ref _idleGeneration);
        _idleTimer?.Dispose();
        _idleTimer = _host.Time.CreateTimer(_ => Post(async () =>
        {
            if (generation == Interlocked.Read(ref _idleGeneration) && _sessions.IsEmpty)
            {
                await CloseOnQueueAsync("idle timeout").ConfigureAwait(false);
            }
        }), null, Service.IdleTimeout, Timeout.InfiniteTimeSpan);
    }

    private void CancelIdleTimer()
    {
        Interlocked.Increment(ref _idleGeneration);
        _idleTimer?.Dispose();
        _idleTimer = null;
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // one failing event must not end the instance
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.WorkFailed(_host.Logger, Service.Describe(Key.ServiceId), e);
            }
        }
    }

    private void Guard(Action action, string what)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // app callbacks are isolated: an exception is logged and the instance carries on
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(_host.Logger, what, Service.Describe(Key.ServiceId), e);
        }
    }

    private T? Guard<T>(Func<T> function, string what)
    {
        T? result = default;
        Guard(() =>
        {
            result = function();
        }, what);
        return result;
    }

    internal static string SessionConnectedFrame(string sessionId, string appParametersJson) =>
        $$"""{"session_id": {{JsonSerializer.Serialize(sessionId)}}, "action": "session_connected", "app_parameters": {{appParametersJson}}}""";

    private static partial class Log
    {
        [LoggerMessage(EventId = AppsEventIds.ServiceConstructorFailed, Level = LogLevel.Error, Message = "{Service}: the constructor failed")]
        public static partial void ConstructorFailed(ILogger logger, string service, Exception exception);

        [LoggerMessage(EventId = AppsEventIds.ServiceWorkFailed, Level = LogLevel.Error, Message = "{Service}: an event failed")]
        public static partial void WorkFailed(ILogger logger, string service, Exception exception);

        [LoggerMessage(EventId = AppsEventIds.ServiceCallbackFailed, Level = LogLevel.Error, Message = "{Service}: its {Callback} threw")]
        public static partial void CallbackFailed(ILogger logger, string callback, string service, Exception exception);

        [LoggerMessage(EventId = AppsEventIds.ServiceClosed, Level = LogLevel.Debug, Message = "{Service}: closed ({Reason})")]
        public static partial void Closed(ILogger logger, string service, string reason);
    }
}
