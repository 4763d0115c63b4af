using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The clients of one typed-messaging site and the messages between them and the server: the seed's
/// <c>WebServer</c> minus the HTTP listener. Many clients at once, each with its own bounded send
/// queue; handlers run on a per-client dispatch loop, in order, never on the socket loop.
/// </summary>
public class MessagingHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MessagingConnection> _clients = new();
    private readonly TimeProvider _time;
    private readonly UploadStore? _uploads;
    private ImmutableArray<(MessageType? Type, MessageHandler Handler)> _handlers = [];
    private long _nextClient;
    private volatile bool _stopping;

    /// <param name="name">Names the site in log messages.</param>
    /// <exception cref="ArgumentException">The options are inconsistent (invalid or overlapping mount prefixes, non-positive limits).</exception>
    public MessagingHub(MessagingOptions options, ILoggerFactory? loggerFactory = null, string name = "messaging", TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxMessageSize <= MessageHeader.Size || options.SendQueueCapacity < 1 || options.ReceiveQueueCapacity < 1)
        {
            throw new ArgumentException("MaxMessageSize must exceed the 32-byte header and the queue capacities must be at least 1", nameof(options));
        }
        Options = options;
        Name = name;
        _time = time ?? TimeProvider.System;
        Layout = SiteLayout.From(options);
        Log = new MessagingLog((loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProxyHost.Messaging"), name);
        if (Layout.Uploads is { } uploads)
        {
            _uploads = new UploadStore(uploads.Folder, uploads.Prefix + "/", _time);
        }
    }

    public MessagingOptions Options { get; }

    public string Name { get; }

    /// <summary>True while at least one client is connected.</summary>
    public bool Connected => !_clients.IsEmpty;

    public int NumClients => _clients.Count;

    public IReadOnlyCollection<string> ClientIds => [.. _clients.Keys];

    /// <summary>Where uploads are saved; null when uploads are off.</summary>
    public string? UploadDirectory => _uploads?.Directory;

    /// <summary>Raised after a client's websocket is accepted (before its first message is handled).</summary>
    public event Action<ClientEvent>? ClientConnected;

    /// <summary>Raised once a client's websocket has closed and its last message has been handled.</summary>
    public event Action<ClientEvent>? ClientDisconnected;

    internal SiteLayout Layout { get; }

    /// <summary>A separate legacy websocket port, when there is one (the index page's <c>ws_port</c>).</summary>
    internal int? WebSocketPortHint { get; set; }

    internal MessagingLog Log { get; }

    /// <summary>Adds a handler for every message type (the seed's <c>add_message_handler</c>).</summary>
    public void AddMessageHandler(MessageHandler handler) => AddHandler(null, handler);

    /// <summary>Adds a handler for one message type; <c>client_state</c> events are JSON messages.</summary>
    public void AddMessageHandler(MessageType type, MessageHandler handler) => AddHandler(type, handler);

    /// <summary>
    /// Queues a message for one client, or for every client when <paramref name="clientId"/> is null,
    /// and returns how many clients it was queued for. Never waits: a client whose queue is full is
    /// disconnected instead. With no <paramref name="type"/>, a string is TEXT, bytes are BINARY and
    /// anything else is serialised as JSON; a string sent as JSON is taken as already-encoded JSON.
    /// </summary>
    public int SendMessage(object? payload, MessageType? type = null, string? clientId = null, string? metadata = null, DateTimeOffset? timestamp = null)
    {
        var (resolvedType, bytes) = PayloadEncoder.Encode(payload, type);
        var message = new OutgoingMessage(resolvedType, bytes, (ulong)(timestamp ?? _time.GetUtcNow()).ToUnixTimeMilliseconds(), MessageMetadata.FromString(metadata));
        if (clientId is not null)
        {
            return _clients.TryGetValue(clientId, out var client) && client.TryEnqueue(message) ? 1 : 0;
        }
        var queued = 0;
        foreach (var client in _clients.Values)
        {
            queued += client.TryEnqueue(message) ? 1 : 0;
        }
        return queued;
    }

    /// <summary>Closes one client's websocket with <paramref name="status"/>; false when no such client is connected.</summary>
    public bool Disconnect(string clientId, System.Net.WebSockets.WebSocketCloseStatus status = System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, string reason = "")
    {
        if (!_clients.TryGetValue(clientId, out var client))
        {
            return false;
        }
        client.RequestClose(status, reason);
        return true;
    }

    /// <summary>The seed's <c>send_alert</c>: JSON <c>{"alert": {id, time, message, level, category, timeout}}</c>, timeout in ms.</summary>
    public int SendAlert(string message, string level = "warning", string category = "", double timeoutSeconds = 3.5, string? clientId = null)
    {
        var now = _time.GetLocalNow();
        var alert = new Dictionary<string, object>
        {
            ["alert"] = new Dictionary<string, object>
            {
                ["id"] = now.ToUnixTimeMilliseconds(),
                ["time"] = now.ToString("h:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                ["message"] = message,
                ["level"] = level,
                ["category"] = category,
                ["timeout"] = (int)(timeoutSeconds * 1000),
            },
        };
        return SendMessage(alert, MessageType.Json, clientId);
    }

    /// <summary>Accepts a websocket request and serves the client until it leaves; other requests get 400.</summary>
    public async Task AcceptAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("this is a websocket endpoint for typed messages (see websocket.js)").ConfigureAwait(false);
            return;
        }
        if (_stopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }).ConfigureAwait(false);
        var id = "c" + Interlocked.Increment(ref _nextClient).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var connection = new MessagingConnection(id, context.Connection.RemoteIpAddress?.ToString(), socket, this);
        _clients[id] = connection;
        Log.Connected(id, connection.RemoteAddress, _clients.Count);
        var connected = new ClientEvent(id, connection.RemoteAddress);
        Raise(ClientConnected, connected);
        await DispatchAsync(ClientState(id, "connected")).ConfigureAwait(false);
        if (Options.Echo)
        {
            EchoReplies.Welcome(this, id);
        }
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _clients.TryRemove(id, out _);
            var closed = connection.Closed ?? new ClientEvent(id, connection.RemoteAddress);
            Log.Disconnected(id, closed, _clients.Count);
            await DispatchAsync(ClientState(id, "disconnected")).ConfigureAwait(false);
            Raise(ClientDisconnected, closed);
        }
    }

    /// <summary>Closes every client with 1001 and refuses new ones.</summary>
    public virtual ValueTask DisposeAsync()
    {
        CloseAll();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes every client with 1001 and refuses new ones, so a host's graceful stop is not held up by open websockets.</summary>
    public void CloseAll()
    {
        _stopping = true;
        foreach (var client in _clients.Values)
        {
            client.RequestClose(MessagingCloseStatus.Stopping, MessagingCloseStatus.StoppingReason);
        }
    }

    /// <summary>
    /// Handles one message: calls <see cref="MessagingOptions.MessageCallback"/>, then the handlers for
    /// its type. Override it to handle messages in a subclass (the seed's <c>on_message</c>).
    /// </summary>
    protected virtual async ValueTask OnMessage(ReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var handled = false;
        if (Options.MessageCallback is { } callback)
        {
            await callback(message).ConfigureAwait(false);
            handled = true;
        }
        foreach (var (type, handler) in _handlers)
        {
            if (type is null || type == message.Type)
            {
                await handler(message).ConfigureAwait(false);
                handled = true;
            }
        }
        if (!handled && !message.IsClientState && !Options.Echo)
        {
            Log.Unhandled(message.ClientId, message.Type);
        }
    }

    internal async ValueTask DispatchAsync(ReceivedMessage message)
    {
        if (_uploads is not null && message.Type is MessageType.File or MessageType.Image && !message.IsClientState)
        {
            try
            {
                var (path, url) = await _uploads.SaveAsync(message.Payload, message.Metadata, CancellationToken.None).ConfigureAwait(false);
                Log.UploadSaved(message.ClientId, path, message.PayloadSize);
                message = message with { Path = path, Url = url };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.UploadFailed(message.ClientId, e);
            }
        }
        try
        {
            await OnMessage(message).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's bug must not end the client's connection; it is logged (as the seed does).
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(message.ClientId, message.Type, e);
        }
        if (Options.Echo && !message.IsClientState)
        {
            EchoReplies.Reply(this, message);
        }
    }

    private void AddHandler(MessageType? type, MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _handlers, list => list.Add((type, handler)));
    }

    private ReceivedMessage ClientState(string clientId, string state) => new()
    {
        ClientId = clientId,
        Hub = this,
        Type = MessageType.Json,
        Timestamp = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds(),
        Payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["client_state"] = state, ["client_id"] = clientId })),
        IsClientState = true,
    };

    private void Raise(Action<ClientEvent>? handlers, ClientEvent e)
    {
        try
        {
            handlers?.Invoke(e);
        }
#pragma warning disable CA1031 // Same as for message handlers: an event subscriber's bug is logged, not fatal.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.HandlerFailed(e.ClientId, MessageType.Json, exception);
        }
    }
}
