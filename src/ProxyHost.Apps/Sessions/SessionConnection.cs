using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Messaging;

namespace ProxyHost.Apps.Sessions;

/// <summary>
/// Runs one <c>/connect</c> websocket: joins (or starts) the instance before accepting the upgrade, so a
/// failing service is an HTTP error rather than a dead socket; then pumps raw frames both ways.
/// </summary>
internal static class SessionConnection
{
    internal const int MaxMessageBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(HttpContext context, AppServiceRegistry registry, RegisteredApp app, string serviceId)
    {
        var session = new AppSession(app.Name, RequestDictionaries.Query(context.Request), RequestDictionaries.Headers(context.Request),
            registry.Options.TimeProvider.GetUtcNow());
        ServiceInstance? instance = null;
        // An instance may close (idle timeout) between lookup and join; then a fresh one is started. Bounded.
        for (var attempt = 0; attempt < 3 && instance is null; attempt++)
        {
            try
            {
                instance = app.Service.Shared
                    ? await registry.GetOrStartInstanceAsync(app.Service, serviceId).ConfigureAwait(false)
                    : await registry.StartSessionInstanceAsync(app.Service, serviceId).ConfigureAwait(false);
            }
            catch (AppServiceStartException e)
            {
                await Results.Text(e.Message, statusCode: StatusCodes.Status500InternalServerError).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            if (!await instance.ConnectAsync(session, app.AppParametersJson).ConfigureAwait(false))
            {
                instance = null;
            }
        }
        if (instance is null)
        {
            await Results.Text("the service instance closed while connecting; try again", statusCode: StatusCodes.Status503ServiceUnavailable)
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        }
        catch
        {
            instance.Disconnect(session);
            throw;
        }
        using (socket)
        {
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            var writer = WriteAsync(socket, session, stopReading);
            try
            {
                await ReadAsync(socket, session, instance, stopReading.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
            }
            finally
            {
                instance.Disconnect(session);
                session.Complete();
            }
            await writer.ConfigureAwait(false);
        }
    }

    private static async Task ReadAsync(WebSocket socket, AppSession session, ServiceInstance instance, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var message = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            if (message.WrittenCount + result.Count > MaxMessageBytes)
            {
                session.Close(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes");
                return;
            }
            message.Write(buffer.AsSpan(0, result.Count));
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Text)
            {
                // An empty text frame is narvi.js's heartbeat.
                if (message.WrittenCount > 0)
                {
                    await instance.DeliverAsync(session, Encoding.UTF8.GetString(message.WrittenSpan), cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await instance.DeliverAsync(session, AppMessage.FromBinary(message.WrittenSpan.ToArray()), cancellationToken).ConfigureAwait(false);
            }
            message.ResetWrittenCount();
        }
    }

    private static async Task WriteAsync(WebSocket socket, AppSession session, CancellationTokenSource stopReading)
    {
        try
        {
            await foreach (var message in session.Outbound.ReadAllAsync().ConfigureAwait(false))
            {
                var type = message.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
                await socket.SendAsync(message.Utf8OrBinary, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            if (session.ServerClose is { } close && socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(close.Status, close.Reason, CancellationToken.None).ConfigureAwait(false);
                stopReading.CancelAfter(CloseHandshakeTimeout);
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            await stopReading.CancelAsync().ConfigureAwait(false);
        }
    }
}
