using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProxyHost.Collections;

namespace ProxyHost.Configuration;

/// <summary>
/// Writes one <see cref="ServerProcessDefinition"/> as the <c>servers.NAME</c> value that
/// <see cref="ServerDefinitionReader"/> reads back, with only the keys that differ from the defaults.
/// </summary>
internal static class ServerDefinitionWriter
{
    // Relaxed escaping keeps "<port>" and "&" readable in a file people edit by hand.
    internal static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static void Write(Utf8JsonWriter writer, ServerProcessDefinition definition)
    {
        writer.WriteStartObject();
        if (!definition.Command.IsEmpty)
        {
            writer.WritePropertyName("command");
            writer.WriteRawValue(CompactStringList(definition.Command));
        }
        if (definition.Timeout != ServerProcessDefinition.DefaultTimeout)
        {
            writer.WritePropertyName("timeout");
            writer.WriteRawValue(definition.Timeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        }
        WriteMap(writer, "environment", definition.Environment);
        if (definition.AbsoluteUrl)
        {
            writer.WriteBoolean("absolute_url", true);
        }
        if (definition.Port != 0)
        {
            writer.WriteNumber("port", definition.Port);
        }
        if (definition.UnixSocket.Enabled)
        {
            if (definition.UnixSocket.Path is { } socketPath)
            {
                writer.WriteString("unix_socket", socketPath);
            }
            else
            {
                writer.WriteBoolean("unix_socket", true);
            }
        }
        WriteMap(writer, "mappath", definition.MapPath);
        WriteLauncherEntry(writer, definition.LauncherEntry);
        if (!definition.NewBrowserTab)
        {
            writer.WriteBoolean("new_browser_tab", false);
        }
        WriteMap(writer, "request_headers_override", definition.RequestHeadersOverride);
        if (!definition.UpdateLastActivity)
        {
            writer.WriteBoolean("update_last_activity", false);
        }
        if (definition.RawSocketProxy)
        {
            writer.WriteBoolean("raw_socket_proxy", true);
        }
        WriteSeconds(writer, "websocket_idle_timeout", definition.WebSocketIdleTimeout);
        WriteSeconds(writer, "websocket_ping_interval", definition.WebSocketPingInterval);
        if (definition.IdleTimeout is { } idleTimeout)
        {
            writer.WriteNumber("idle_timeout", idleTimeout.TotalSeconds);
        }
        if (definition.MaxRequestBodySize is { } maxBody)
        {
            writer.WriteNumber("max_request_body_size", maxBody);
        }
        writer.WriteEndObject();
    }

    private static void WriteSeconds(Utf8JsonWriter writer, string key, TimeSpan? value)
    {
        if (value is { } seconds)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(seconds.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static void WriteLauncherEntry(Utf8JsonWriter writer, LauncherEntry entry)
    {
        var defaults = new LauncherEntry();
        if (entry == defaults)
        {
            return;
        }
        writer.WriteStartObject("launcher_entry");
        if (entry.Enabled != defaults.Enabled)
        {
            writer.WriteBoolean("enabled", entry.Enabled);
        }
        WriteOptional(writer, "icon_path", entry.IconPath);
        WriteOptional(writer, "title", entry.Title);
        WriteOptional(writer, "path_info", entry.PathInfo);
        if (entry.Category != defaults.Category)
        {
            writer.WriteString("category", entry.Category);
        }
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(key, value);
        }
    }

    private static void WriteMap(Utf8JsonWriter writer, string key, EquatableMap map)
    {
        if (map.Count == 0)
        {
            return;
        }
        writer.WriteStartObject(key);
        foreach (var (name, value) in map)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
    }

    // An argv reads best on one line: ["jupyter", "lab", "--port", "<port>"].
    private static string CompactStringList(EquatableArray<string> items)
    {
        var builder = new StringBuilder("[");
        foreach (var item in items)
        {
            if (builder.Length > 1)
            {
                builder.Append(", ");
            }
            builder.Append(JsonTextStyle.Quote(item));
        }
        return builder.Append(']').ToString();
    }
}
