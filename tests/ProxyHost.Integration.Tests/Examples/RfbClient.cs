using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Examples;

/// <summary>
/// The client side of VNC's RFB 3.8 protocol over a websocket (as noVNC speaks it through a websockify-style
/// bridge): the handshake with security type None, and raw framebuffer updates.
/// </summary>
internal sealed class RfbClient(ClientWebSocket socket) : IDisposable
{
    private readonly MemoryStream _pending = new();

    public int Width { get; private set; }

    public int Height { get; private set; }

    public string Name { get; private set; } = "";

    private int BitsPerPixel { get; set; }

    private (int Shift, int Max) Red { get; set; }

    private (int Shift, int Max) Green { get; set; }

    private (int Shift, int Max) Blue { get; set; }

    private bool BigEndian { get; set; }

    public static async Task<RfbClient> ConnectAsync(Uri bridge, string proxyHostToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "token " + proxyHostToken);
        await socket.ConnectAsync(bridge, CancellationToken.None).DefaultTimeout();
        return new RfbClient(socket);
    }

    /// <summary>Version, security None, ClientInit (shared) and ServerInit; returns the server's version line.</summary>
    public async Task<string> HandshakeAsync()
    {
        var version = Encoding.ASCII.GetString(await ReadAsync(12));
        await SendAsync("RFB 003.008\n"u8.ToArray());
        var types = await ReadAsync((await ReadAsync(1))[0]);
        if (!types.Contains((byte)1))
        {
            throw new InvalidOperationException($"the server offers no security type None: [{string.Join(", ", types)}]");
        }
        await SendAsync([1]);
        var result = BinaryPrimitives.ReadUInt32BigEndian(await ReadAsync(4));
        if (result != 0)
        {
            throw new InvalidOperationException($"security handshake failed ({result})");
        }
        await SendAsync([1]);
        var init = await ReadAsync(24);
        Width = BinaryPrimitives.ReadUInt16BigEndian(init);
        Height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        BitsPerPixel = init[4];
        BigEndian = init[6] != 0;
        Red = (init[14], BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(8)));
        Green = (init[15], BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(10)));
        Blue = (init[16], BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(12)));
        Name = Encoding.UTF8.GetString(await ReadAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20))));
        return version;
    }

    /// <summary>Asks for a full update of a small area and returns its first pixel as 8-bit red, green and blue.</summary>
    public async Task<(byte R, byte G, byte B)> ReadPixelAsync(int x, int y)
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), 4);
        await SendAsync(request);
        while (true)
        {
            var type = (await ReadAsync(1))[0];
            if (type != 0)
            {
                throw new InvalidOperationException($"unexpected server message type {type}");
            }
            var rectangles = BinaryPrimitives.ReadUInt16BigEndian((await ReadAsync(3)).AsSpan(1));
            (byte, byte, byte)? first = null;
            for (var i = 0; i < rectangles; i++)
            {
                var header = await ReadAsync(12);
                var (width, height) = (BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)), BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6)));
                var encoding = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
                if (encoding != 0)
                {
                    throw new InvalidOperationException($"unexpected encoding {encoding}: only raw was allowed");
                }
                var pixels = await ReadAsync(width * height * BitsPerPixel / 8);
                first ??= Decode(pixels);
            }
            if (first is { } pixel)
            {
                return pixel;
            }
        }
    }

    public void Dispose() => socket.Dispose();

    private (byte, byte, byte) Decode(byte[] pixels)
    {
        var value = BitsPerPixel switch
        {
            32 => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(pixels) : BinaryPrimitives.ReadUInt32LittleEndian(pixels),
            16 => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(pixels) : BinaryPrimitives.ReadUInt16LittleEndian(pixels),
            _ => pixels[0],
        };
        static byte Channel(uint value, (int Shift, int Max) channel) => (byte)((value >> channel.Shift & (uint)channel.Max) * 255 / channel.Max);
        return (Channel(value, Red), Channel(value, Green), Channel(value, Blue));
    }

    private Task SendAsync(byte[] bytes) => socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    private async Task<byte[]> ReadAsync(int count)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        var buffer = new byte[64 * 1024];
        while (_pending.Length < count)
        {
            var received = await socket.ReceiveAsync(buffer, deadline.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"the bridge closed: {received.CloseStatus} {received.CloseStatusDescription}");
            }
            _pending.Seek(0, SeekOrigin.End);
            _pending.Write(buffer, 0, received.Count);
        }
        var all = _pending.ToArray();
        _pending.SetLength(0);
        _pending.Write(all, count, all.Length - count);
        return all[..count];
    }
}
