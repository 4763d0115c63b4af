using Microsoft.AspNetCore.Http;

namespace ProxyHost.Apps.Sessions;

/// <summary>Query parameters and headers as the flat string dictionaries Narvi hands to app code (a repeated key keeps its last value).</summary>
internal static class RequestDictionaries
{
    public static IReadOnlyDictionary<string, string> Query(HttpRequest request) =>
        request.Query.ToDictionary(q => q.Key, q => q.Value.Count > 0 ? q.Value[^1] ?? "" : "", StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Headers(HttpRequest request) =>
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
}
