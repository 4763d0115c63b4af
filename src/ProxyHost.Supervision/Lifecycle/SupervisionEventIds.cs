namespace ProxyHost.Supervision.Lifecycle;

/// <summary>The one table of supervision log event ids; ids are stable, never reused (ranges: Supervision 1000-1099, Proxy 2000-2099, Hosting 3000-3099, Apps 700-799, Relay 900-999, Messaging 8000-8099).</summary>
internal static class SupervisionEventIds
{
    public const int StateChanged = 1001;
    public const int ProcessStarted = 1002;
    public const int ProcessExited = 1003;
    public const int ProcessExitedUnexpectedly = 1004;
    public const int StartFailed = 1005;
    public const int StandardOutput = 1006;
    public const int StandardError = 1007;
    public const int StopFailed = 1008;
    public const int CrashLoopOpened = 1009;
    public const int BackingOff = 1010;
    public const int ServerAdded = 1011;
    public const int UnexpectedError = 1012;
    public const int ServerChanged = 1013;
    public const int ServerRemoved = 1014;
    public const int ShutdownTimedOut = 1015;
    public const int ProcessStopped = 1016;
    public const int RunRecordFailed = 1017;
    public const int CrashedRunCleaned = 1018;
    public const int RunRecordIgnored = 1019;
    public const int ChildSubreaper = 1020;
    public const int CrashCleanupFailed = 1021;
    public const int UnexpectedTransition = 1022;
    public const int LimitMechanism = 1030;
    public const int LimitNotEnforced = 1031;
}
