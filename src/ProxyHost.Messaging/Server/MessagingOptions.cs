namespace ProxyHost.Messaging.Server;

/// <summary>
/// What a typed-messaging site serves and how it treats its clients; shared by the standalone
/// <see cref="WebServer"/> and the <c>webservers</c> entries of proxyhost.json.
/// </summary>
public class MessagingOptions
{
    /// <summary>The default for <see cref="MaxMessageSize"/>: 16 MiB.</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    /// <summary>The site folder: <c>static/</c> is served under <c>static/</c>, the index page at the site's root.</summary>
    public string? Root { get; set; }

    /// <summary>The index page's file name, looked up in <c>root/templates/</c> and then in <c>root/</c>.</summary>
    public string Index { get; set; } = "index.html";

    /// <summary>Local folder → URL prefix (relative to the site, e.g. <c>uploads</c>); each is served read-only.</summary>
    public IDictionary<string, string> Mounts { get; } = new Dictionary<string, string>();

    /// <summary>
    /// Where FILE and IMAGE uploads are saved; null takes the seed's rule (the last mount whose folder or
    /// prefix contains "upload"), and with no such mount uploads are not saved. A folder that no mount
    /// serves is mounted at <c>uploads/</c>.
    /// </summary>
    public string? UploadDirectory { get; set; }

    /// <summary>The largest websocket message (header included) accepted; a larger one closes the connection with 1009.</summary>
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>How many messages may wait to be sent to one client; a client that lets more pile up is disconnected with 1008.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>How many received messages may wait for the handlers of one client before reading from it pauses.</summary>
    public int ReceiveQueueCapacity { get; set; } = 64;

    /// <summary>Reply to every message with what was received (uploads: where they were saved); for examples and smoke tests.</summary>
    public bool Echo { get; set; }

    /// <summary>Called for every message (the seed's <c>msg_callback</c>), before the handlers added with <c>AddMessageHandler</c>.</summary>
    public MessageHandler? MessageCallback { get; set; }

    /// <summary>Values for <c>{{ name }}</c> placeholders in the index page (the seed's template kwargs), HTML-escaped.</summary>
    public IDictionary<string, string> TemplateVariables { get; } = new Dictionary<string, string>();
}
