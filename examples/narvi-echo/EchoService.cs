using ProxyHost.Apps.Messaging;

namespace NarviEcho;

/// <summary>The Narvi user guide's echo example: answers each text message <c>m</c> with <c>echo:m</c>, to the sender only.</summary>
public sealed class EchoService
{
    /// <param name="prefix">Put before each echo; config's <c>"parameters": {"prefix": "..."}</c> sets it.</param>
    public EchoService(IWebAppServices services, string prefix = "echo:")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMessageListener((message, sessionId) =>
        {
            if (message.IsText)
            {
                services.Send(prefix + message.Text, forSessionId: sessionId);
            }
        });
    }
}
