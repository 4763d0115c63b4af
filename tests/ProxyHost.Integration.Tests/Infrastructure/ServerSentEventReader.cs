using System.Text.Json;
using FluentAssertions;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Infrastructure;

/// <summary>Reads the JSON <c>data:</c> events of a <c>text/event-stream</c> response one at a time.</summary>
public sealed class ServerSentEventReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEventReader(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reader = new StreamReader(stream);
    }

    public static async Task<ServerSentEventReader> OpenAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        response.IsSuccessStatusCode.Should().BeTrue();
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        return new ServerSentEventReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event's data, parsed; fails the test when none arrives in time.</summary>
    public async Task<JsonElement> ReadAsync()
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync().DefaultTimeout()
                ?? throw new InvalidOperationException("the event stream ended");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
            }
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
