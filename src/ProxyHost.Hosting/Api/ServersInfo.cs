using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyHost.Configuration;

namespace ProxyHost.Hosting.Api;

/// <summary>
/// jupyter-server-proxy's <c>server-proxy/servers-info</c> document, byte-compatible in shape so its
/// JupyterLab launcher extension can read ProxyHost: every server in config order (launcher-disabled
/// ones included), and nothing server-side (no command, port or environment).
/// </summary>
public static class ServersInfo
{
    /// <summary>The path, under the base URL, of the servers-info document.</summary>
    public const string Path = "server-proxy/servers-info";

    /// <summary>The path, under the base URL, that icons are served from (followed by the server name).</summary>
    public const string IconPath = "server-proxy/icon/";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The icon URL of a server: <c>{base_url}server-proxy/icon/{name}</c>.</summary>
    public static string IconUrl(string baseUrl, string serverName) => baseUrl + IconPath + serverName;

    /// <summary>Writes <c>{"server_processes": [{"name", "launcher_entry": {...}, "new_browser_tab"}]}</c>.</summary>
    public static string ToJson(IEnumerable<ServerProcessDefinition> servers, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(baseUrl);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("server_processes");
            foreach (var server in servers)
            {
                json.WriteStartObject();
                json.WriteString("name", server.Name);
                json.WriteStartObject("launcher_entry");
                json.WriteBoolean("enabled", server.LauncherEntry.Enabled);
                json.WriteString("title", server.LauncherTitle);
                json.WriteString("path_info", server.LauncherPath);
                json.WriteString("category", server.LauncherEntry.Category);
                if (server.LauncherEntry.IconPath is not null)
                {
                    json.WriteString("icon_url", IconUrl(baseUrl, server.Name));
                }
                json.WriteEndObject();
                json.WriteBoolean("new_browser_tab", server.NewBrowserTab);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
