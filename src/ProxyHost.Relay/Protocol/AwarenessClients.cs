using System.Text;

namespace ProxyHost.Relay.Protocol;

/// <summary>
/// The awareness client ids (and clocks) a connection announced, so that when it goes away the relay can
/// tell the room they left, as the y-websocket server does, instead of peers showing a ghost cursor for 30 s.
/// </summary>
internal sealed class AwarenessClients
{
    private static readonly byte[] Null = Encoding.UTF8.GetBytes("null");

    private readonly Dictionary<uint, uint> _clocks = [];

    public int Count => _clocks.Count;

    /// <summary>Records the clients of an awareness message (<c>01 varUint8Array(update)</c>); ignores anything else or malformed.</summary>
    public void Observe(ReadOnlySpan<byte> message)
    {
        if (message.Length < 2 || message[0] != YMessages.MessageAwareness
            || Leb128.TryRead(message[1..], out var length, out var used) != Leb128Status.Ok || length > message.Length - 1 - used)
        {
            return;
        }
        var update = message.Slice(1 + used, (int)length);
        if (!TryRead(ref update, out var count))
        {
            return;
        }
        for (var i = 0; i < count; i++)
        {
            if (!TryRead(ref update, out var client) || !TryRead(ref update, out var clock) || !TryRead(ref update, out var stateLength)
                || stateLength > update.Length)
            {
                return;
            }
            var isNull = update[..(int)stateLength].SequenceEqual(Null);
            update = update[(int)stateLength..];
            if (isNull)
            {
                _clocks.Remove(client);
            }
            else
            {
                _clocks[client] = clock;
            }
        }
    }

    /// <summary>An awareness message marking every recorded client as gone (state null, clock + 1); null when there are none.</summary>
    public byte[]? EncodeRemoval()
    {
        if (_clocks.Count == 0)
        {
            return null;
        }
        var update = new List<byte>();
        Append(update, (uint)_clocks.Count);
        foreach (var (client, clock) in _clocks)
        {
            Append(update, client);
            Append(update, clock + 1);
            Append(update, (uint)Null.Length);
            update.AddRange(Null);
        }
        var message = new List<byte> { YMessages.MessageAwareness };
        Append(message, (uint)update.Count);
        message.AddRange(update);
        return [.. message];
    }

    private static bool TryRead(ref ReadOnlySpan<byte> span, out uint value)
    {
        if (Leb128.TryRead(span, out value, out var used) != Leb128Status.Ok)
        {
            return false;
        }
        span = span[used..];
        return true;
    }

    private static void Append(List<byte> bytes, uint value)
    {
        Span<byte> buffer = stackalloc byte[Leb128.MaxBytes];
        var length = Leb128.Write(value, buffer);
        foreach (var b in buffer[..length])
        {
            bytes.Add(b);
        }
    }
}
