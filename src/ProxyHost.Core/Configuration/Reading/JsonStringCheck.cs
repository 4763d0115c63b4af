using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>
/// Finds a string or key that JSON allows but .NET cannot read: a <c>\u</c> escape of an unpaired
/// surrogate (<c>"\ud800"</c>). Reading one throws, so the config reader checks first and reports it
/// as a located error instead of a crash.
/// </summary>
internal static class JsonStringCheck
{
    /// <summary>The key path of the first unreadable string, or null when every string reads.</summary>
    public static string? FindUnreadable(JsonElement element, string path = "")
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Reads(() => element.GetString()) ? null : path;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindUnreadable(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Reads(() => property.Name))
                    {
                        return path.Length == 0 ? "(a key)" : path + ".(a key)";
                    }
                    var at = path.Length == 0 ? property.Name : path + "." + property.Name;
                    if (FindUnreadable(property.Value, at) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool Reads(Func<string?> read)
    {
        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
