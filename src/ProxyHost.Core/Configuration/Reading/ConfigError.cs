using ProxyHost.Security;

namespace ProxyHost.Configuration;

/// <summary>One problem in a config file, located by file and key path so a user can find it.</summary>
/// <param name="Source">The config file path (or another name for where the text came from).</param>
/// <param name="Location">A key path such as <c>servers.lab.timeout</c>, or a line and column for syntax errors.</param>
/// <param name="Message">What is wrong and, where it helps, what to write instead.</param>
public sealed record ConfigError(string Source, string Location, string Message)
{
    /// <summary>One line: a key path that holds a newline or another control character shows it escaped.</summary>
    public override string ToString() => Location.Length == 0 ? $"{Source}: {Message}" : $"{Source}: {UntrustedText.EscapeControls(Location)}: {Message}";
}

/// <summary>Thrown when a config cannot be used; carries every problem found, not just the first.</summary>
public sealed class ConfigValidationException : Exception
{
    public ConfigValidationException(IReadOnlyList<ConfigError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }
}
