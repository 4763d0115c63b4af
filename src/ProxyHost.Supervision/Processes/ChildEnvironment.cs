using ProxyHost.Security;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// The environment changes a started process gets on top of ProxyHost's inherited environment: every
/// <see cref="EnvironmentSecrets"/> name removed, then the command's own variables applied, so a server
/// that sets a secret's name in its <c>environment</c> gets its own value, and last the launch's
/// <see cref="ProcessTree.MarkerVariable"/>, which no command can override.
/// </summary>
internal static class ChildEnvironment
{
    /// <summary>Name → value to set, or null to remove the inherited variable (as CliWrap's <c>WithEnvironmentVariables</c> takes them).</summary>
    public static IReadOnlyDictionary<string, string?> Variables(ProcessCommand command, string marker)
    {
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var secret in EnvironmentSecrets.Names)
        {
            changes[secret] = null;
        }
        foreach (var (name, value) in command.Environment)
        {
            changes[name] = value;
        }
        changes[ProcessTree.MarkerVariable] = marker;
        return changes;
    }
}
