using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Messaging.Protocol;
using ProxyHost.Messaging.Server;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>Messages both ways over real websockets: typed payloads, handlers, rejections and limits.</summary>
public sealed class MessagingTests : ServerHarness
{
    [Fact]
    public async Task Echo_EveryTypeComesBackTyped_WithTheServersOwnCounter()
    {
        var server = await StartAsync(o => o.Echo = true);
        await using var client = await ConnectAsync(server);

        var (welcome, welcomeBody) = await client.ReceiveAsync();
        welcome.Type.Should().Be(MessageType.Json);
        JsonDocument.Parse(welcomeBody).RootElement.GetProperty("welcome").GetString().Should().StartWith("c");

        await client.SendAsync(MessageType.Text, "hi");
        (await client.ReceiveTextAsync()).Should().Be("echo: hi");
        await client.SendAsync(MessageType.Text, "\"quoted by the seed's client\"");
        (await client.ReceiveTextAsync()).Should().Be("echo: quoted by the seed's client");
        await client.SendAsync(MessageType.Json, """{"a":[1,2]}""");
        (await client.ReceiveTextAsync()).Should().Be("""{"echo":{"a":[1,2]}}""");
        await client.SendAsync(MessageType.Binary, [0, 1, 2, 255]);
        var (binary, bytes) = await client.ReceiveAsync();
        (binary.Type, bytes).Should().BeEquivalentTo((MessageType.Binary, new byte[] { 0, 1, 2, 255 }));
        await client.SendAsync(MessageType.Audio, [1, 0, 0xff, 0x7f]);
        var (audio, samples) = await client.ReceiveAsync();

        audio.Type.Should().Be(MessageType.Audio);
        samples.Should().Equal(1, 0, 0xff, 0x7f);
        audio.Id.Should().Be(5, "the server counts its own messages per client, from 0 for the welcome");
        audio.Metadata.Should().Be(MessageMetadata.Empty);
        ((long)audio.Timestamp).Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000);
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1024 * 1024)]
    public async Task Echo_PayloadsAroundTheSingleFrameLimit_ArriveIntact(int size)
    {
        var server = await StartAsync(o => o.Echo = true);
        await using var client = await ConnectAsync(server);
        await client.ReceiveAsync();
        var payload = new byte[size];
        Random.Shared.NextBytes(payload);

        await client.SendAsync(MessageType.Binary, payload);
        var (header, echoed) = await client.ReceiveAsync();

        header.PayloadSize.Should().Be((uint)size);
        echoed.Should().Equal(payload);
    }

    [Fact]
    public async Task Handlers_GetTheSeedsArguments_AndASlowHandlerBlocksNeitherItsSocketNorOtherClients()
    {
        var release = new TaskCompletionSource();
        var blocked = new TaskCompletionSource<ReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = new TaskCompletionSource<ReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync();
        server.AddMessageHandler(MessageType.Text, async message =>
        {
            if (message.Text == "block")
            {
                blocked.TrySetResult(message);
                await release.Task;
            }
            else
            {
                other.TrySetResult(message);
            }
        });
        await using var a = await ConnectAsync(server);
        await using var b = await ConnectAsync(server);

        await a.SendAsync(MessageType.Text, "block", "meta");
        var first = await blocked.Task.DefaultTimeout();
        await b.SendAsync(MessageType.Text, "free");
        var second = await other.Task.DefaultTimeout();
        server.SendMessage("still reading", clientId: first.ClientId).Should().Be(1);
        (await a.ReceiveTextAsync()).Should().Be("still reading");
        release.SetResult();

        first.Should().BeEquivalentTo(new { Type = MessageType.Text, Id = 0UL, Metadata = "meta", PayloadSize = 5, Path = (string?)null });
        ((long)first.Timestamp).Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000);
        second.ClientId.Should().NotBe(first.ClientId);
    }

    [Fact]
    public async Task Subclass_OverridingOnMessage_AndTheCallback_BothSeeMessages()
    {
        var callback = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync(new ShoutingServer(Options(o => o.MessageCallback = m =>
        {
            if (!m.IsClientState)
            {
                callback.TrySetResult(m.Text);
            }
            return ValueTask.CompletedTask;
        }), Logs));
        await using var client = await ConnectAsync(server);

        await client.SendAsync(MessageType.Text, "quiet");

        (await client.ReceiveTextAsync()).Should().Be("QUIET");
        (await callback.Task.DefaultTimeout()).Should().Be("quiet");
    }

    [Fact]
    public async Task MalformedFrames_AreDroppedWithALoggedReason_AndTheConnectionSurvives()
    {
        var server = await StartAsync(o => o.Echo = true);
        await using var client = await ConnectAsync(server);
        await client.ReceiveAsync();
        var badMagic = MessageFrame.Encode(0, 0, MessageType.Text, "x"u8);
        badMagic[17] = 7;
        var badType = MessageFrame.Encode(0, 0, MessageType.Text, "x"u8);
        badType[19] = 9;
        var badSize = MessageFrame.Encode(0, 0, MessageType.Text, "xyz"u8);
        badSize[23] = 2;

        await client.SendRawAsync(new byte[32]);
        await client.SendRawAsync(badMagic);
        await client.SendRawAsync(badType);
        await client.SendRawAsync(badSize);
        await client.SendRawAsync("text frame"u8.ToArray(), WebSocketMessageType.Text);
        await client.SendAsync(MessageType.Text, "after");

        (await client.ReceiveTextAsync()).Should().Be("echo: after");
        (await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(TooShort)").DefaultTimeout()).Should().Contain("32 bytes is not more than the 32-byte header");
        (await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(BadMagic)").DefaultTimeout()).Should().Contain("magic is 7, not 42");
        (await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(UnknownType)").DefaultTimeout()).Should().Contain("type 9 is not 0-5");
        (await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(SizeMismatch)").DefaultTimeout()).Should().Contain("header says 2 payload bytes, 3 follow");
        await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(TextFrame)").DefaultTimeout();
        server.NumClients.Should().Be(1);
    }

    [Fact]
    public async Task OversizeMessage_ClosesWith1009_AndSaysWhy()
    {
        var server = await StartAsync(o => o.MaxMessageSize = 1024);
        await using var client = await ConnectAsync(server);
        var exact = MessageFrame.Encode(0, 0, MessageType.Binary, new byte[1024 - 32]);

        await client.SendRawAsync(exact);
        await client.SendRawAsync(MessageFrame.Encode(1, 0, MessageType.Binary, new byte[1024 - 31]));

        (await client.ReceiveCloseAsync()).Should().Be(WebSocketCloseStatus.MessageTooBig);
        client.Socket.CloseStatusDescription.Should().Be("message larger than 1024 bytes");
        (await Logs.WaitAsync(MessagingEventIds.FrameRejected, "(TooLarge)").DefaultTimeout()).Should().Contain("max_message_size (1024 bytes)");
    }

    [Fact]
    public async Task SendMessage_InfersTypes_LikeTheSeed()
    {
        var server = await StartAsync();
        await using var client = await ConnectAsync(server);
        await WaitForClientsAsync(server, 1);

        server.SendMessage("text");
        server.SendMessage(new byte[] { 9 });
        server.SendMessage(new { answer = 42 });
        server.SendMessage("""{"pre":"encoded"}""", MessageType.Json);
        server.SendMessage(new short[] { 1, -1 });
        server.SendAlert("careful", clientId: server.ClientIds.Single());

        var received = new List<(MessageType, string)>();
        for (var i = 0; i < 6; i++)
        {
            var (header, payload) = await client.ReceiveAsync();
            received.Add((header.Type, header.Type is MessageType.Binary or MessageType.Audio ? Convert.ToHexString(payload) : Encoding.UTF8.GetString(payload)));
        }
        received.Take(5).Should().Equal(
            (MessageType.Text, "text"), (MessageType.Binary, "09"), (MessageType.Json, """{"answer":42}"""),
            (MessageType.Json, """{"pre":"encoded"}"""), (MessageType.Audio, "0100FFFF"));
        var alert = JsonDocument.Parse(received[5].Item2).RootElement.GetProperty("alert");
        (alert.GetProperty("message").GetString(), alert.GetProperty("level").GetString(), alert.GetProperty("timeout").GetInt32()).Should().Be(("careful", "warning", 3500));
    }

    internal static async Task WaitForClientsAsync(MessagingHub hub, int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(ClientEvent _)
        {
            if (hub.NumClients >= count)
            {
                reached.TrySetResult();
            }
        }
        hub.ClientConnected += Check;
        Check(null!);
        await reached.Task.DefaultTimeout();
        hub.ClientConnected -= Check;
    }

    private sealed class ShoutingServer(WebServerOptions options, Microsoft.Extensions.Logging.ILoggerFactory logs) : WebServer(options, logs)
    {
        protected override async ValueTask OnMessage(ReceivedMessage message)
        {
            await base.OnMessage(message);
            if (message.Type == MessageType.Text)
            {
                SendMessage(message.Text.ToUpperInvariant(), clientId: message.ClientId);
            }
        }
    }
}
