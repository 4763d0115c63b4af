using System.Net.WebSockets;
using System.Text.Json;
using FluentAssertions;
using ProxyHost.Messaging.Protocol;
using ProxyHost.Messaging.Server;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>Many clients at once: broadcast, addressed sends, connect/disconnect events, and a slow client.</summary>
public sealed class ClientTests : ServerHarness
{
    [Fact]
    public async Task ManyClients_BroadcastReachesEveryone_AndAnAddressedSendOnlyItsClient()
    {
        const int count = 20;
        var server = await StartAsync();
        var clients = new List<TypedClient>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                clients.Add(await ConnectAsync(server));
            }
            await MessagingTests.WaitForClientsAsync(server, count);
            server.Connected.Should().BeTrue();
            var target = server.ClientIds.Order().First();

            server.SendMessage("only you", clientId: target).Should().Be(1);
            server.SendMessage("nobody", clientId: "no-such-client").Should().Be(0);
            server.SendMessage("everyone").Should().Be(count);

            var firsts = await Task.WhenAll(clients.Select(c => c.ReceiveTextAsync()));
            firsts.Count(t => t == "only you").Should().Be(1);
            firsts.Count(t => t == "everyone").Should().Be(count - 1);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ConnectAndDisconnect_RaiseEvents_AndClientStateMessages()
    {
        var states = new List<string>();
        var disconnectedState = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = new TaskCompletionSource<ClientEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var disconnected = new TaskCompletionSource<ClientEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await StartAsync();
        server.AddMessageHandler(MessageType.Json, m =>
        {
            lock (states)
            {
                states.Add($"{m.Json.GetProperty("client_state").GetString()} {m.Json.GetProperty("client_id").GetString()} {m.IsClientState}");
            }
            if (m.Text.Contains("disconnected", StringComparison.Ordinal))
            {
                disconnectedState.TrySetResult();
            }
            return ValueTask.CompletedTask;
        });
        server.ClientConnected += e => connected.TrySetResult(e);
        server.ClientDisconnected += e => disconnected.TrySetResult(e);

        var client = await ConnectAsync(server);
        var id = (await connected.Task.DefaultTimeout()).ClientId;
        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", TestTimeouts.DefaultToken()).DefaultTimeout();
        var closed = await disconnected.Task.DefaultTimeout();
        await disconnectedState.Task.DefaultTimeout();
        await client.DisposeAsync();

        closed.Should().BeEquivalentTo(new ClientEvent(id, "127.0.0.1", WebSocketCloseStatus.NormalClosure, "bye"));
        states.Should().Equal($"connected {id} True", $"disconnected {id} True");
        server.NumClients.Should().Be(0);
        server.Connected.Should().BeFalse();
    }

    [Fact]
    public async Task SlowClient_IsDisconnectedWith1008_WhileAFastClientGetsEveryMessageInOrder()
    {
        const int maxMessages = 2000;
        const int batch = 4;
        var server = await StartAsync(o => o.SendQueueCapacity = 8);
        var slowGone = new TaskCompletionSource<ClientEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fast = await ConnectAsync(server);
        await MessagingTests.WaitForClientsAsync(server, 1);
        var fastId = server.ClientIds.Single();
        await using var slow = await ConnectAsync(server);
        await MessagingTests.WaitForClientsAsync(server, 2);
        server.ClientDisconnected += e => slowGone.TrySetResult(e);
        var payload = new byte[256 * 1024];

        ulong expectedId = 0;
        var sent = 0;
        while (!slowGone.Task.IsCompleted && sent < maxMessages)
        {
            for (var i = 0; i < batch; i++, sent++)
            {
                server.SendMessage(payload);
            }
            for (var i = 0; i < batch; i++)
            {
                var (header, body) = await fast.ReceiveAsync();
                header.Id.Should().Be(expectedId++);
                body.Length.Should().Be(payload.Length);
            }
        }

        var gone = await slowGone.Task.DefaultTimeout();
        gone.ClientId.Should().NotBe(fastId);
        gone.CloseStatus.Should().Be(MessagingCloseStatus.SendQueueFull);
        gone.CloseReason.Should().Be(MessagingCloseStatus.SendQueueFullReason);
        (await Logs.WaitAsync(MessagingEventIds.SendQueueFull).DefaultTimeout()).Should().Contain("let 8 messages pile up");
        server.ClientIds.Should().Equal(fastId);
        server.SendMessage("still here").Should().Be(1);
        (await fast.ReceiveTextAsync()).Should().Be("still here");
    }

    [Fact]
    public async Task Stop_ClosesClientsWith1001_WithoutWaitingForThem()
    {
        var server = await StartAsync();
        await using var client = await ConnectAsync(server);
        await MessagingTests.WaitForClientsAsync(server, 1);
        var closed = client.ReceiveCloseAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();

        await server.StopAsync(TestTimeouts.DefaultToken()).DefaultTimeout();

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the host's 30 s graceful stop must not wait for open websockets");
        (await closed).Should().Be(MessagingCloseStatus.Stopping);
        client.Socket.CloseStatusDescription.Should().Be(MessagingCloseStatus.StoppingReason);
    }

    [Fact]
    public async Task SeparateWebSocketPort_AcceptsTheSeedsPathlessConnection()
    {
        var server = await StartAsync(o =>
        {
            o.WebSocketPort = 0;
            o.Echo = true;
        });
        server.Urls.Should().HaveCount(2);
        var legacy = new UriBuilder(server.Urls[1]) { Scheme = "ws", Path = "/" }.Uri;

        await using var client = await TypedClient.ConnectAsync(legacy);

        JsonDocument.Parse((await client.ReceiveAsync()).Payload).RootElement.GetProperty("welcome").GetString().Should().NotBeNullOrEmpty();
        await client.SendAsync(MessageType.Text, "legacy");
        (await client.ReceiveTextAsync()).Should().Be("echo: legacy");
    }
}
