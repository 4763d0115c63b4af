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
            writer.WritePropertyName(ServerKeys.Command);
            writer.WriteRawValue(CompactStringList(definition.Command));
        }
        if (definition.Timeout != ServerProcessDefinition.DefaultTimeout)
        {
            WriteSeconds(writer, ServerKeys.Timeout, definition.Timeout);
        }
        WriteMap(writer, ServerKeys.Environment, definition.Environment);
        if (definition.AbsoluteUrl)
        {
            writer.WriteBoolean(ServerKeys.AbsoluteUrl, true);
        }
        if (definition.Port != 0)
        {
            writer.WriteNumber(ServerKeys.Port, definition.Port);
        }
        if (definition.UnixSocket.Enabled)
        {
            if (definition.UnixSocket.Path is { } socketPath)
            {
                writer.WriteString(ServerKeys.UnixSocket, socketPath);
            }
            else
            {
                writer.WriteBoolean(ServerKeys.UnixSocket, true);
            }
        }
        WriteMap(writer, ServerKeys.MapPath, definition.MapPath);
        WriteLauncherEntry(writer, definition.LauncherEntry);
        if (!definition.NewBrowserTab)
        {
            writer.WriteBoolean(ServerKeys.NewBrowserTab, false);
        }
        WriteMap(writer, ServerKeys.RequestHeadersOverride, definition.RequestHeadersOverride);
        if (!definition.UpdateLastActivity)
        {
            writer.WriteBoolean(ServerKeys.UpdateLastActivity, false);
        }
        if (definition.RawSocketProxy)
        {
            writer.WriteBoolean(ServerKeys.RawSocketProxy, true);
        }
        WriteSeconds(writer, ServerKeys.WebSocketIdleTimeout, definition.WebSocketIdleTimeout);
        WriteSeconds(writer, ServerKeys.WebSocketPingInterval, definition.WebSocketPingInterval);
        WriteSeconds(writer, ServerKeys.IdleTimeout, definition.IdleTimeout);
        if (definition.MaxRequestBodySize is { } maxBody)
        {
            writer.WriteNumber(ServerKeys.MaxRequestBodySize, maxBody);
        }
        if (definition.ReadyCheckPath != "/")
        {
            writer.WriteString(ServerKeys.ReadyCheckPath, definition.ReadyCheckPath);
        }
        if (!definition.ReadyStatus.IsEmpty)
        {
            writer.WritePropertyName(ServerKeys.ReadyStatus);
            writer.WriteRawValue(CompactStringList(definition.ReadyStatus));
        }
        WriteLimits(writer, definition.Limits);
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

    private static void WriteLimits(Utf8JsonWriter writer, ServerLimits limits)
    {
        if (limits.IsEmpty)
        {
            return;
        }
        writer.WriteStartObject(ServerKeys.Limits);
        if (limits.MemoryBytes is { } memory)
        {
            writer.WriteString(ServerKeys.Limit.Memory, ByteSize.Format(memory));
        }
        if (limits.Cpus is { } cpus)
        {
            writer.WritePropertyName(ServerKeys.Limit.Cpu);
            writer.WriteRawValue(cpus.ToString("R", CultureInfo.InvariantCulture));
        }
        if (limits.Processes is { } processes)
        {
            writer.WriteNumber(ServerKeys.Limit.Processes, processes);
        }
        if (limits.OpenFiles is { } openFiles)
        {
            writer.WriteNumber(ServerKeys.Limit.OpenFiles, openFiles);
        }
        writer.WriteEndObject();
    }

    private static void WriteLauncherEntry(Utf8JsonWriter writer, LauncherEntry entry)
    {
        var defaults = new LauncherEntry();
        if (entry == defaults)
        {
            return;
        }
        writer.WriteStartObject(ServerKeys.LauncherEntry);
        if (entry.Enabled != defaults.Enabled)
        {
            writer.WriteBoolean(ServerKeys.Launcher.Enabled, entry.Enabled);
        }
        WriteOptional(writer, ServerKeys.Launcher.IconPath, entry.IconPath);
        WriteOptional(writer, ServerKeys.Launcher.Title, entry.Title);
        WriteOptional(writer, ServerKeys.Launcher.PathInfo, entry.PathInfo);
        if (entry.Category != defaults.Category)
        {
            writer.WriteString(ServerKeys.Launcher.Category, entry.Category);
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
