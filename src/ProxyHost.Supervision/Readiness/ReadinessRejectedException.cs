namespace ProxyHost.Supervision.Readiness;

/// <summary>
/// A probe's verdict that waiting longer cannot make the server ready (another process answers in its
/// place); the readiness wait ends at once with <see cref="Exception.Message"/> as the reason.
/// </summary>
internal sealed class ReadinessRejectedException(string message) : Exception(message);
