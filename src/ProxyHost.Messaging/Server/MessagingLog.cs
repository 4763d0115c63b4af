using Microsoft.Extensions.Logging;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>The messaging server's log messages (event ids 8000–8099).</summary>
internal sealed partial class MessagingLog(ILogger logger, string site)
{
    public void Connected(string client, string? remote, int clients) => LogConnected(logger, site, client, remote, clients);

    public void Disconnected(string client, ClientEvent closed, int clients) =>
        LogDisconnected(logger, site, client, closed.CloseStatus is { } s ? (int)s : null, closed.CloseReason, clients);

    public void FrameRejected(string client, FrameError error, string reason) => LogFrameRejected(logger, site, client, error, reason);

    public void SendQueueFull(string client, int capacity) => LogSendQueueFull(logger, site, client, capacity);

    public void HandlerFailed(string client, MessageType type, Exception exception) => LogHandlerFailed(logger, exception, site, client, type);

    public void UploadSaved(string client, string path, int bytes) => LogUploadSaved(logger, site, client, path, bytes);

    public void UploadFailed(string client, Exception exception) => LogUploadFailed(logger, exception, site, client);

    public void Unhandled(string client, MessageType type) => LogUnhandled(logger, site, client, type);

    [LoggerMessage(EventId = MessagingEventIds.ClientConnected, Level = LogLevel.Information, Message = "{Site}: client {Client} connected from {Remote} ({Clients} connected)")]
    private static partial void LogConnected(ILogger logger, string site, string client, string? remote, int clients);

    [LoggerMessage(EventId = MessagingEventIds.ClientDisconnected, Level = LogLevel.Information, Message = "{Site}: client {Client} disconnected (close {Status} {Reason}; {Clients} connected)")]
    private static partial void LogDisconnected(ILogger logger, string site, string client, int? status, string? reason, int clients);

    [LoggerMessage(EventId = MessagingEventIds.FrameRejected, Level = LogLevel.Warning, Message = "{Site}: frame from client {Client} rejected ({Error}): {Reason}")]
    private static partial void LogFrameRejected(ILogger logger, string site, string client, FrameError error, string reason);

    [LoggerMessage(EventId = MessagingEventIds.SendQueueFull, Level = LogLevel.Warning, Message = "{Site}: client {Client} let {Capacity} messages pile up unsent; disconnecting it")]
    private static partial void LogSendQueueFull(ILogger logger, string site, string client, int capacity);

    [LoggerMessage(EventId = MessagingEventIds.HandlerFailed, Level = LogLevel.Error, Message = "{Site}: a handler failed on a {Type} message from client {Client}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string site, string client, MessageType type);

    [LoggerMessage(EventId = MessagingEventIds.UploadSaved, Level = LogLevel.Debug, Message = "{Site}: saved an upload from client {Client} to {Path} ({Bytes} bytes)")]
    private static partial void LogUploadSaved(ILogger logger, string site, string client, string path, int bytes);

    [LoggerMessage(EventId = MessagingEventIds.UploadFailed, Level = LogLevel.Error, Message = "{Site}: could not save an upload from client {Client}")]
    private static partial void LogUploadFailed(ILogger logger, Exception exception, string site, string client);

    [LoggerMessage(EventId = MessagingEventIds.UnhandledMessage, Level = LogLevel.Debug, Message = "{Site}: no handler for a {Type} message from client {Client}")]
    private static partial void LogUnhandled(ILogger logger, string site, string client, MessageType type);
}
