using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using ProxyHost.Hosting.Api;

namespace ProxyHost.Cli.Remote;

/// <summary>Calls a running ProxyHost's JSON API; failures become <see cref="HostApiException"/> with a sentence for the user.</summary>
internal sealed class HostApiClient : IDisposable
{
    private readonly HttpClient _http;

    public HostApiClient(Uri baseUrl, string? token)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(5) };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        }
    }

    public async Task<IReadOnlyList<ServerInfo>> GetServersAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/servers"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ApiJsonContext.Default.IReadOnlyListServerInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POSTs start, stop or restart and returns the server as it is afterwards.</summary>
    public async Task<ServerInfo> ChangeAsync(string name, string action, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/servers/{Uri.EscapeDataString(name)}/{action}");
        request.Headers.Add(ServerApiHeader, "1");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, ApiJsonContext.Default.ServerInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The header the API requires on state-changing requests (see ServerApiEndpoints).</summary>
    public const string ServerApiHeader = "X-ProxyHost-Request";

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                throw new HostApiException(HostApiFailure.Unreachable,
                    $"cannot reach ProxyHost at {_http.BaseAddress}: {e.Message} (is `proxyhost serve` running? pass --url)");
            }
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var message = await TryReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new HostApiException(HostApiFailure.Unauthorized,
                $"ProxyHost at {_http.BaseAddress} refused the token (pass --token, or the URL `proxyhost serve` printed)"),
            HttpStatusCode.NotFound => new HostApiException(HostApiFailure.NotFound, message ?? $"not found: {response.RequestMessage?.RequestUri}"),
            _ => new HostApiException(HostApiFailure.Failed, message ?? $"ProxyHost answered {(int)response.StatusCode} {response.ReasonPhrase}"),
        };
    }

    private static async Task<string?> TryReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await ReadAsync(response, ApiJsonContext.Default.ApiError, cancellationToken).ConfigureAwait(false);
            return error.Error;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("empty response");
        }
    }
}

internal enum HostApiFailure
{
    Unreachable,
    Unauthorized,
    NotFound,
    Failed,
}

/// <summary>A remote verb failed; the message is one sentence for the user.</summary>
internal sealed class HostApiException(HostApiFailure failure, string message) : Exception(message)
{
    public HostApiFailure Failure { get; } = failure;
}
