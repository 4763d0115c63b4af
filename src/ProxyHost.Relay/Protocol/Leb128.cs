namespace ProxyHost.Relay.Protocol;

/// <summary>
/// Unsigned LEB128 (lib0's <c>writeVarUint</c>): 7 bits per byte, least significant group first,
/// 0x80 meaning "more follows". The reader is strict where ELVA's was lax: truncation and values
/// beyond 32 bits are errors, not partial results.
/// </summary>
public static class Leb128
{
    /// <summary>The most bytes a value up to <see cref="uint.MaxValue"/> takes.</summary>
    public const int MaxBytes = 5;

    public static int SizeOf(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the byte count.</summary>
    public static int Write(uint value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads one value from the start of <paramref name="source"/>.</summary>
    public static Leb128Status TryRead(ReadOnlySpan<byte> source, out uint value, out int consumed)
    {
        ulong result = 0;
        value = 0;
        consumed = 0;
        for (var i = 0; i < MaxBytes; i++)
        {
            if (i >= source.Length)
            {
                return Leb128Status.Truncated;
            }
            var b = source[i];
            result |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (result > uint.MaxValue)
                {
                    return Leb128Status.Overflow;
                }
                value = (uint)result;
                consumed = i + 1;
                return Leb128Status.Ok;
            }
        }
        return Leb128Status.Overflow;
    }
}

public enum Leb128Status
{
    Ok,
    Truncated,
    Overflow,
}
