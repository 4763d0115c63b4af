using System.Net.WebSockets;
using FluentAssertions;
using ProxyHost.Proxy.Upgrades;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests;

/// <summary>
/// The close ProxyHost puts into a tunnelled websocket at shutdown lands between two backend frames,
/// read back by .NET's own websocket client.
/// </summary>
public sealed class WebSocketTunnelStreamTests
{
    private static readonly CancellationToken Bounded = TestTimeouts.DefaultToken();

    [Fact]
    public async Task SendClose_InTheMiddleOfAFrame_WaitsForItsEndThenClosesAndDropsTheRest()
    {
        using var toClient = new MemoryStream();
        var tunnel = new WebSocketTunnelStream(toClient);
        var message = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var frame = ServerFrame(0x82, message);

        await tunnel.WriteAsync(frame.AsMemory(0, 1), Bounded);
        await tunnel.WriteAsync(frame.AsMemory(1, 100), Bounded);
        await tunnel.SendCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "stopping", Bounded).DefaultTimeout();
        toClient.Length.Should().Be(101, "no close may go out inside the frame");
        await tunnel.WriteAsync((byte[])[.. frame.AsSpan(101), .. ServerFrame(0x81, "next"u8.ToArray())], Bounded);
        await tunnel.WriteAsync(ServerFrame(0x81, "later"u8.ToArray()), Bounded);

        var client = WebSocket.CreateFromStream(new MemoryStream(toClient.ToArray()), isServer: false, null, Timeout.InfiniteTimeSpan);
        var buffer = new byte[1024];
        var first = await client.ReceiveAsync(buffer, Bounded);
        (first.MessageType, first.EndOfMessage).Should().Be((WebSocketMessageType.Binary, true));
        buffer[..first.Count].Should().Equal(message);
        var close = await client.ReceiveAsync(buffer, Bounded);
        (close.MessageType, close.CloseStatus, close.CloseStatusDescription).Should().Be((WebSocketMessageType.Close, WebSocketCloseStatus.EndpointUnavailable, "stopping"));
        toClient.Length.Should().Be(frame.Length + 2 + 2 + "stopping".Length, "the backend's later frames are dropped");
    }

    [Fact]
    public async Task SendClose_AfterTheBackendsOwnClose_SendsNoSecondOne()
    {
        using var toClient = new MemoryStream();
        var tunnel = new WebSocketTunnelStream(toClient);
        var backendClose = ServerFrame(0x88, [0x03, 0xE8]);
        await tunnel.WriteAsync(backendClose, Bounded);

        await tunnel.SendCloseAsync(WebSocketCloseStatus.EndpointUnavailable, "stopping", Bounded).DefaultTimeout();

        toClient.ToArray().Should().Equal(backendClose);
    }

    [Fact]
    public async Task ClientClosed_CompletesOnTheClientsMaskedCloseNotOnDataOrZeroByteReads()
    {
        byte[] fromClient = [.. ClientFrame(0x82, new byte[70_000]), .. ClientFrame(0x88, [0x03, 0xE9])];
        var tunnel = new WebSocketTunnelStream(new MemoryStream(fromClient));

        (await tunnel.ReadAsync(Memory<byte>.Empty, Bounded)).Should().Be(0);
        var buffer = new byte[70_010];
        (await tunnel.ReadAsync(buffer.AsMemory(0, 70_000), Bounded)).Should().Be(70_000);
        tunnel.ClientClosed.IsCompleted.Should().BeFalse("a zero-byte read and a partly read data frame are no close");
        (await tunnel.ReadAsync(buffer, Bounded)).Should().Be(fromClient.Length - 70_000);

        await tunnel.ClientClosed.DefaultTimeout();
    }

    /// <summary>An unmasked frame with the given first byte (FIN and opcode), using the 16-bit length form past 125 bytes.</summary>
    private static byte[] ServerFrame(byte first, byte[] payload) => payload.Length switch
    {
        < 126 => [first, (byte)payload.Length, .. payload],
        _ => [first, 126, (byte)(payload.Length >> 8), (byte)payload.Length, .. payload],
    };

    /// <summary>A masked client frame (mask 0, so the payload reads as sent), with the 64-bit length form past 65535 bytes.</summary>
    private static byte[] ClientFrame(byte first, byte[] payload) => payload.Length switch
    {
        < 126 => [first, (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload],
        _ => [first, 0x80 | 127, .. BitConverter.GetBytes((ulong)payload.Length).Reverse(), 0, 0, 0, 0, .. payload],
    };
}
