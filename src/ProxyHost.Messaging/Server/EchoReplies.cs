using System.Text.Json;
using ProxyHost.Messaging.Protocol;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The <c>echo</c> option's replies: TEXT comes back prefixed with "echo: ", JSON wrapped as
/// <c>{"echo": …}</c>, BINARY and AUDIO unchanged, and an upload as JSON saying where it was saved.
/// </summary>
internal static class EchoReplies
{
    public static void Welcome(MessagingHub hub, string clientId) =>
        hub.SendMessage(new Dictionary<string, object> { ["welcome"] = clientId, ["clients"] = hub.NumClients }, MessageType.Json, clientId);

    public static void Reply(MessagingHub hub, ReceivedMessage message)
    {
        switch (message.Type)
        {
            case MessageType.Text:
                hub.SendMessage("echo: " + message.Text, MessageType.Text, message.ClientId);
                break;
            case MessageType.Json:
                hub.SendMessage(new Dictionary<string, object?> { ["echo"] = TryParse(message) }, MessageType.Json, message.ClientId);
                break;
            case MessageType.File or MessageType.Image:
                hub.SendMessage(new Dictionary<string, object?>
                {
                    ["upload"] = message.Type == MessageType.Image ? "image" : "file",
                    ["size"] = message.PayloadSize,
                    ["extension"] = message.Metadata,
                    ["url"] = message.Url,
                }, MessageType.Json, message.ClientId);
                break;
            default:
                hub.SendMessage(message.Payload, message.Type, message.ClientId);
                break;
        }
    }

    private static JsonElement? TryParse(ReceivedMessage message)
    {
        try
        {
            return message.Json;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
