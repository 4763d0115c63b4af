using System.Net;
using System.Net.Sockets;

namespace ProxyHost.Tests.Dummy;

/// <summary>
/// <c>tcp-echo --port P | --unix-socket PATH</c>: a raw stream service (no HTTP) that writes every
/// chunk it reads back with ASCII letters' case swapped, one connection per client.
/// </summary>
internal static class SwapCaseEcho
{
    public static async Task<int> RunAsync(Options options)
    {
        using var listener = options.String("unix-socket") is { } path
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(options.String("unix-socket") is { } socketPath
            ? new UnixDomainSocketEndPoint(socketPath)
            : new IPEndPoint(IPAddress.Loopback, options.Int("port", 0)));
        listener.Listen();
        Console.WriteLine($"tcp-echo listening on {listener.LocalEndPoint}");
        while (true)
        {
            var client = await listener.AcceptAsync();
            _ = EchoAsync(client);
        }
    }

    private static async Task EchoAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    buffer[i] = (byte)(char.IsAsciiLetter((char)buffer[i]) ? buffer[i] ^ 0x20 : buffer[i]);
                }
                await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (SocketException)
        {
        }
    }
}
