using Microsoft.Extensions.Logging;

namespace ProxyHost.Supervision.Lifecycle;

internal sealed partial class ServerRunLoop
{
    private static partial class Log
    {
        [LoggerMessage(EventId = SupervisionEventIds.ProcessStarted, Level = LogLevel.Information, Message = "{Server}: started process {ProcessId}: {Command}")]
        public static partial void ProcessStarted(ILogger logger, string server, int processId, string command);

        [LoggerMessage(EventId = SupervisionEventIds.ProcessExited, Level = LogLevel.Information, Message = "{Server}: process {ProcessId} exited with {Exit}")]
        public static partial void ProcessExited(ILogger logger, string server, int processId, string exit);

        [LoggerMessage(EventId = SupervisionEventIds.ProcessExitedUnexpectedly, Level = LogLevel.Warning, Message = "{Server}: process {ProcessId} exited unexpectedly with {Exit}")]
        public static partial void ProcessExitedUnexpectedly(ILogger logger, string server, int processId, string exit);

        [LoggerMessage(EventId = SupervisionEventIds.ProcessStopped, Level = LogLevel.Information, Message = "{Server}: process {ProcessId} stopped with {Exit}")]
        public static partial void ProcessStopped(ILogger logger, string server, int processId, string exit);

        [LoggerMessage(EventId = SupervisionEventIds.StartFailed, Level = LogLevel.Warning, Message = "{Server}: start failed ({Reason}): {Message}")]
        public static partial void StartFailed(ILogger logger, string server, ServerUnavailableReason reason, string message);

        [LoggerMessage(EventId = SupervisionEventIds.StandardOutput, Level = LogLevel.Debug, Message = "{Server} | {Line}")]
        public static partial void StandardOutput(ILogger logger, string server, string line);

        [LoggerMessage(EventId = SupervisionEventIds.StandardError, Level = LogLevel.Debug, Message = "{Server} ! {Line}")]
        public static partial void StandardError(ILogger logger, string server, string line);

        [LoggerMessage(EventId = SupervisionEventIds.StopFailed, Level = LogLevel.Error, Message = "{Server}: process {ProcessId} did not stop")]
        public static partial void StopFailed(ILogger logger, string server, int processId, Exception exception);

        [LoggerMessage(EventId = SupervisionEventIds.CrashLoopOpened, Level = LogLevel.Warning, Message = "{Server}: failing repeatedly; starts suspended for {BreakDuration}")]
        public static partial void CrashLoopOpened(ILogger logger, string server, TimeSpan breakDuration);

        [LoggerMessage(EventId = SupervisionEventIds.BackingOff, Level = LogLevel.Debug, Message = "{Server}: waiting {Delay} before the next start")]
        public static partial void BackingOff(ILogger logger, string server, TimeSpan delay);

        [LoggerMessage(EventId = SupervisionEventIds.UnexpectedError, Level = LogLevel.Error, Message = "{Server}: unexpected supervision error")]
        public static partial void UnexpectedError(ILogger logger, string server, Exception exception);
    }
}
