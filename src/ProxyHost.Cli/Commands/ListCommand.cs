using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost list</c>: shows the servers in the config file as a table or as JSON.</summary>
internal sealed class ListCommand : Command
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ICliConsole _console;

    private readonly Option<string?> _config = ConfigPathOption.Create();

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the servers as JSON on stdout, for scripts",
    };

    public ListCommand(ICliConsole console)
        : base("list", "List the servers in the config file")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Options.Add(_config);
        Options.Add(_json);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = ConfigPathOption.Resolve(parseResult.GetValue(_config));
        var exists = File.Exists(path);
        var servers = exists ? ProxyHostConfigReader.ReadFile(path).Servers : [];
        if (parseResult.GetValue(_json))
        {
            await _console.Out.WriteLineAsync(ToJson(path, exists, servers)).ConfigureAwait(false);
        }
        else if (servers.Count == 0)
        {
            var why = exists ? "defines no servers" : "does not exist";
            await _console.Error.WriteLineAsync($"No servers: {path} {why}. Add one with: proxyhost add NAME -- COMMAND...").ConfigureAwait(false);
        }
        else
        {
            await _console.Out.WriteAsync(ToTable(servers)).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private static string ToTable(IReadOnlyList<ServerProcessDefinition> servers)
    {
        string[] header = ["NAME", "COMMAND", "LISTENS ON", "LAUNCHER"];
        var rows = servers.Select(s => new[] { s.Name, DisplayCommand(s), DisplayTarget(s), DisplayLauncher(s) }).ToList();
        var widths = header.Select((h, i) => rows.Max(r => r[i].Length) is var w && w > h.Length ? w : h.Length).ToArray();
        var builder = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            for (var i = 0; i < row.Length; i++)
            {
                builder.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            builder.AppendLine();
        }
        return builder.ToString();
    }

    private static string DisplayCommand(ServerProcessDefinition server) =>
        server.IsManaged ? string.Join(' ', server.Command.Select(ShellQuote)) : "(already running)";

    private static string DisplayTarget(ServerProcessDefinition server) => server switch
    {
        { UnixSocket: { Enabled: true, Path: { } path } } => "unix:" + path,
        { UnixSocket.Enabled: true } => "unix socket (private)",
        { Port: > 0 } => "port " + server.Port,
        _ => "free port",
    };

    private static string DisplayLauncher(ServerProcessDefinition server) =>
        server.LauncherEntry.Enabled ? server.LauncherTitle : "(hidden)";

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,<>".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string ToJson(string path, bool exists, IReadOnlyList<ServerProcessDefinition> servers)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, JsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("config", path);
            writer.WriteBoolean("exists", exists);
            writer.WriteStartArray("servers");
            foreach (var server in servers)
            {
                WriteServer(writer, server);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteServer(Utf8JsonWriter writer, ServerProcessDefinition server)
    {
        writer.WriteStartObject();
        writer.WriteString("name", server.Name);
        writer.WriteStartArray("command");
        foreach (var word in server.Command)
        {
            writer.WriteStringValue(word);
        }
        writer.WriteEndArray();
        writer.WriteBoolean("managed", server.IsManaged);
        if (server.Port > 0)
        {
            writer.WriteNumber("port", server.Port);
        }
        else
        {
            writer.WriteNull("port");
        }
        if (!server.UnixSocket.Enabled)
        {
            writer.WriteBoolean("unix_socket", false);
        }
        else if (server.UnixSocket.Path is { } socketPath)
        {
            writer.WriteString("unix_socket", socketPath);
        }
        else
        {
            writer.WriteBoolean("unix_socket", true);
        }
        writer.WriteNumber("timeout", server.Timeout.TotalSeconds);
        writer.WriteBoolean("absolute_url", server.AbsoluteUrl);
        writer.WriteBoolean("raw_socket_proxy", server.RawSocketProxy);
        writer.WriteBoolean("new_browser_tab", server.NewBrowserTab);
        writer.WriteStartObject("launcher_entry");
        writer.WriteBoolean("enabled", server.LauncherEntry.Enabled);
        writer.WriteString("title", server.LauncherTitle);
        writer.WriteString("path_info", server.LauncherPath);
        writer.WriteString("category", server.LauncherEntry.Category);
        if (server.LauncherEntry.IconPath is { } icon)
        {
            writer.WriteString("icon_path", icon);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
