using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// What one ProxyHost process has running, as written to its file in the private <c>runs</c> folder:
/// its own PID and start time (so a reused PID is not taken for it) and one entry per live launch.
/// </summary>
internal sealed record RunRecord(int Format, int ProcessId, long StartTime, IReadOnlyList<LaunchRecord> Servers)
{
    public const int CurrentFormat = 1;

    /// <summary>Reads a record strictly: anything that is not exactly what ProxyHost writes gives null and the reason.</summary>
    public static RunRecord? TryRead(string path, out string? problem)
    {
        RunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(File.ReadAllBytes(path), RunRecordJson.Default.RunRecord);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = ex.Message;
            return null;
        }
        problem = record is null ? "it is empty"
            : record.Format != CurrentFormat ? $"unknown format {record.Format}"
            : record.ProcessId <= 1 || record.StartTime <= 0 ? "no valid process id and start time"
            : record.Servers.FirstOrDefault(s => !s.IsValid) is { } bad ? $"the entry of server '{bad.Name}' is not valid"
            : null;
        return problem is null ? record : null;
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RunRecordJson.Default.RunRecord);
}

/// <summary>One launched server: its leader (PID, which is also its process group, and start time), its marker, its socket folder.</summary>
internal sealed record LaunchRecord(string Name, int ProcessId, long StartTime, string Marker, string? SocketDirectory)
{
    public bool IsValid =>
        ProcessId > 1 && StartTime > 0
        && Marker.Length == 32 && Marker.All(char.IsAsciiHexDigitLower)
        && (SocketDirectory is null || Path.IsPathFullyQualified(SocketDirectory));
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(RunRecord))]
internal sealed partial class RunRecordJson : JsonSerializerContext;
