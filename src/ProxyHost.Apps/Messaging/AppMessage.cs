using System.Text;

namespace ProxyHost.Apps.Messaging;

/// <summary>
/// One websocket payload between an app service and a browser session: text (a text frame) or bytes
/// (a binary frame), passed through without any envelope, as in Narvi.
/// </summary>
public readonly record struct AppMessage
{
    private AppMessage(string? text, ReadOnlyMemory<byte> binary)
    {
        Text = text;
        Binary = binary;
    }

    /// <summary>The text of a text frame; null for a binary frame.</summary>
    public string? Text { get; }

    /// <summary>The bytes of a binary frame; empty for a text frame.</summary>
    public ReadOnlyMemory<byte> Binary { get; }

    public bool IsText => Text is not null;

    public static AppMessage FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), default);

    public static AppMessage FromBinary(ReadOnlyMemory<byte> bytes) => new(null, bytes);

    public static implicit operator AppMessage(string text) => FromText(text);

    public static implicit operator AppMessage(byte[] bytes) => FromBinary(bytes);

    public override string ToString() => Text ?? $"<{Binary.Length} bytes>";

    internal ReadOnlyMemory<byte> Utf8OrBinary => Text is null ? Binary : Encoding.UTF8.GetBytes(Text);
}
