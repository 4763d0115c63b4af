using System.CommandLine;
using ProxyHost.Security;

namespace ProxyHost.Cli.Remote;

/// <summary><c>--url</c> and <c>--token</c>: which running ProxyHost a remote verb talks to.</summary>
internal sealed class HostConnectionOptions
{
    /// <summary>The environment variable holding the URL when <c>--url</c> is not given.</summary>
    public const string UrlEnvironmentVariable = EnvironmentSecrets.ProxyHostUrl;

    public const string DefaultUrl = "http://127.0.0.1:8888/";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The running ProxyHost, as `proxyhost serve` printed it (a ?token= in it is used) [default: ${UrlEnvironmentVariable}, else {DefaultUrl}]",
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"The host's token [default: the URL's ?token=, else ${Commands.ServeCommand.TokenEnvironmentVariable}]",
        HelpName = "TOKEN",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
    }

    /// <summary>The base URL (with a trailing slash, without query) and the token to send, if any.</summary>
    public (Uri BaseUrl, string? Token) Resolve(ParseResult parseResult)
    {
        var text = parseResult.GetValue(Url) ?? Environment.GetEnvironmentVariable(UrlEnvironmentVariable) ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--url: '{text}' is not an http:// or https:// URL (for example {DefaultUrl})");
        }

        string? queryToken = null;
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0] == ProxyHostCredentials.QueryParameter)
            {
                queryToken = Uri.UnescapeDataString(parts[1]);
            }
        }
        var path = url.AbsolutePath.EndsWith('/') ? url.AbsolutePath : url.AbsolutePath + "/";
        var baseUrl = new UriBuilder(url) { Path = path, Query = "", Fragment = "" }.Uri;
        var token = parseResult.GetValue(Token) ?? queryToken ?? Environment.GetEnvironmentVariable(Commands.ServeCommand.TokenEnvironmentVariable);
        return (baseUrl, string.IsNullOrEmpty(token) ? null : token);
    }
}
