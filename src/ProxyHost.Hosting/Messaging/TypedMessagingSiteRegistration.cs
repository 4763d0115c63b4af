using ProxyHost.Messaging.Server;

namespace ProxyHost.Hosting.Messaging;

/// <summary>A site added in code with <c>AddTypedMessaging</c>.</summary>
internal sealed record TypedMessagingSiteRegistration(string Name, Action<MessagingOptions> Configure);
