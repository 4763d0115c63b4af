using System.Text;
using ProxyHost.Configuration;

namespace ProxyHost.Relay.Protocol;

/// <summary>
/// ELVA's identifier prefix on the multiplexed connection: magic + LEB128(byte length) + UTF-8 document
/// id, followed by the unchanged Y message. Example: "mydoc" with the ID magic is <c>49 44 05 6d 79 64 6f 63</c>.
/// </summary>
public static class IdentifierMessage
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ReadOnlySpan<byte> MagicBytes(RelayMagic magic) => magic switch
    {
        RelayMagic.Legacy => [0x02, 0x00],
        _ => "ID"u8,
    };

    /// <summary>Returns prefix + <paramref name="message"/> as one new array.</summary>
    public static byte[] Encode(RelayMagic magic, string documentId, ReadOnlySpan<byte> message)
    {
        var id = Encoding.UTF8.GetBytes(documentId);
        var magicBytes = MagicBytes(magic);
        var frame = new byte[magicBytes.Length + Leb128.SizeOf((uint)id.Length) + id.Length + message.Length];
        magicBytes.CopyTo(frame);
        var at = magicBytes.Length;
        at += Leb128.Write((uint)id.Length, frame.AsSpan(at));
        id.CopyTo(frame, at);
        message.CopyTo(frame.AsSpan(at + id.Length));
        return frame;
    }

    /// <summary>
    /// Splits a multiplexed frame into its document id and the Y message after the prefix; returns null
    /// on success, otherwise why the frame was rejected.
    /// </summary>
    public static string? TryDecode(RelayMagic magic, ReadOnlyMemory<byte> frame, out string documentId, out ReadOnlyMemory<byte> message)
    {
        documentId = "";
        message = default;
        var span = frame.Span;
        var magicBytes = MagicBytes(magic);
        if (!span.StartsWith(magicBytes))
        {
            return span.Length < magicBytes.Length
                ? $"a {span.Length}-byte frame is too short for the identifier prefix"
                : $"the frame starts with {Convert.ToHexString(span[..magicBytes.Length])}, not the identifier magic {Convert.ToHexString(magicBytes)}";
        }
        var at = magicBytes.Length;
        switch (Leb128.TryRead(span[at..], out var length, out var consumed))
        {
            case Leb128Status.Truncated:
                return "the identifier length is truncated";
            case Leb128Status.Overflow:
                return "the identifier length does not fit 32 bits";
        }
        at += consumed;
        if (length > span.Length - at)
        {
            return $"the identifier claims {length} bytes but only {span.Length - at} follow";
        }
        if (length == 0)
        {
            return "the identifier is empty";
        }
        try
        {
            documentId = StrictUtf8.GetString(span.Slice(at, (int)length));
        }
        catch (ArgumentException)
        {
            return "the identifier is not valid UTF-8";
        }
        at += (int)length;
        if (at == span.Length)
        {
            return $"no Y message follows the identifier '{documentId}'";
        }
        message = frame[at..];
        return null;
    }
}
