using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>
/// A raw stream service (no HTTP) on 127.0.0.1:0 or a Unix socket, standing in for a VNC server or
/// similar behind a raw-socket bridge: it writes every chunk back with ASCII letters' case swapped,
/// and closes the connection when a chunk is exactly "bye".
/// </summary>
public sealed class SwapCaseEchoServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly TaskCompletionSource _clientEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SwapCaseEchoServer(Socket listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public int Port => (_listener.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>Completes when a client's end-of-stream reaches the service.</summary>
    public Task ClientEnded => _clientEnded.Task;

    public static SwapCaseEchoServer StartTcp()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        return new SwapCaseEchoServer(listener);
    }

    public static SwapCaseEchoServer StartUnixSocket(string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        return new SwapCaseEchoServer(listener);
    }

    public static byte[] SwapCase(ReadOnlySpan<byte> bytes)
    {
        var swapped = bytes.ToArray();
        for (var i = 0; i < swapped.Length; i++)
        {
            if (char.IsAsciiLetter((char)swapped[i]))
            {
                swapped[i] ^= 0x20;
            }
        }
        return swapped;
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stopping.Token);
                connections.Add(EchoAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(connections);
    }

    private async Task EchoAsync(Socket client)
    {
        using var _ = client;
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await client.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    _clientEnded.TrySetResult();
                    return;
                }
                if (Encoding.ASCII.GetString(buffer, 0, read) == "bye")
                {
                    client.Shutdown(SocketShutdown.Both);
                    return;
                }
                for (var i = 0; i < read; i++)
                {
                    buffer[i] = char.IsAsciiLetter((char)buffer[i]) ? (byte)(buffer[i] ^ 0x20) : buffer[i];
                }
                await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        _stopping.Dispose();
    }
}
