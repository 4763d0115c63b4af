using System.CommandLine;
using System.Globalization;
using System.Text;
using ProxyHost.Cli.Remote;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost status</c>: the servers of a running host as a table (state, pid, port, uptime, restarts, activity).</summary>
internal sealed class StatusCommand : Command
{
    private readonly ICliConsole _console;
    private readonly TimeProvider _timeProvider;
    private readonly HostConnectionOptions _connection = new();

    public StatusCommand(ICliConsole console, TimeProvider? timeProvider = null)
        : base("status", "Show the servers of a running ProxyHost: state, pid, port, uptime, restarts, last activity")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _connection.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (baseUrl, token) = _connection.Resolve(parseResult);
        using var client = new HostApiClient(baseUrl, token);
        IReadOnlyList<ServerInfo> servers;
        try
        {
            servers = await client.GetServersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HostApiException e)
        {
            await _console.Error.WriteLineAsync("proxyhost: error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.UnexpectedError;
        }

        if (servers.Count == 0)
        {
            await _console.Error.WriteLineAsync($"ProxyHost at {baseUrl} serves no servers.").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        await _console.Out.WriteAsync(ToTable(servers, _timeProvider.GetUtcNow())).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    internal static string ToTable(IReadOnlyList<ServerInfo> servers, DateTimeOffset now)
    {
        string[] header = ["NAME", "STATE", "PID", "PORT/SOCKET", "MEM", "CPU", "UPTIME", "RESTARTS", "LAST ACTIVITY"];
        var rows = servers.Select(s => new[]
        {
            s.Name,
            s.State.Replace('_', ' '),
            s.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.UnixSocket ?? s.Port?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.Resources is { } usage ? ByteSize.Describe(usage.MemoryBytes) : "-",
            s.Resources?.CpuPercent is { } cpu ? cpu.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-",
            s.State == "running" && s.Started is { } started ? Duration(now - started) : "-",
            s.Restarts.ToString(CultureInfo.InvariantCulture),
            s.LastActivity is { } activity ? Duration(now - activity) + " ago" : "never",
        }).ToList();

        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        return text.ToString();
    }

    internal static string Duration(TimeSpan span)
    {
        var seconds = Math.Max(0, (long)span.TotalSeconds);
        return seconds switch
        {
            < 60 => $"{seconds}s",
            < 3600 => $"{seconds / 60}m{seconds % 60:00}s",
            < 86400 => $"{seconds / 3600}h{seconds / 60 % 60:00}m",
            _ => $"{seconds / 86400}d{seconds / 3600 % 24:00}h",
        };
    }
}
