using System.Collections.Immutable;
using ProxyHost.Configuration;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// An immutable description of a process to start: a program, an argv list (never a joined string),
/// environment changes on top of the inherited environment, and a working directory. Every
/// <c>With*</c> method returns a new instance.
/// </summary>
internal sealed class ProcessCommand
{
    private ProcessCommand(
        string targetFilePath,
        ImmutableArray<string> arguments,
        ImmutableDictionary<string, string?> environment,
        string? workingDirectory,
        ServerLimits limits)
    {
        TargetFilePath = targetFilePath;
        Arguments = arguments;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        Limits = limits;
    }

    public ProcessCommand(string targetFilePath)
        : this(targetFilePath, [], ImmutableDictionary.Create<string, string?>(StringComparer.Ordinal), null, ServerLimits.None)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetFilePath);
    }

    /// <summary>The program: a path, or a name looked up on PATH.</summary>
    public string TargetFilePath { get; }

    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Variables set on top of the inherited environment; a null value removes an inherited variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    /// <summary>The working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; }

    /// <summary>The resources the process tree may use.</summary>
    public ServerLimits Limits { get; }

    /// <summary>A command from an argv list whose first element is the program.</summary>
    public static ProcessCommand FromArgv(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0)
        {
            throw new ArgumentException("the argv list is empty: it needs at least the program to run", nameof(argv));
        }
        return new ProcessCommand(argv[0]).WithArguments(argv.Skip(1));
    }

    public ProcessCommand WithArguments(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return new(TargetFilePath, [.. arguments], (ImmutableDictionary<string, string?>)Environment, WorkingDirectory, Limits);
    }

    /// <summary>Adds (or, with a null value, removes) variables; later entries win.</summary>
    public ProcessCommand WithEnvironment(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var environment = (ImmutableDictionary<string, string?>)Environment;
        foreach (var (name, value) in variables)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            environment = environment.SetItem(name, value);
        }
        return new(TargetFilePath, (ImmutableArray<string>)Arguments, environment, WorkingDirectory, Limits);
    }

    public ProcessCommand WithEnvironment(string name, string? value) => WithEnvironment([new(name, value)]);

    public ProcessCommand WithWorkingDirectory(string? workingDirectory) =>
        new(TargetFilePath, (ImmutableArray<string>)Arguments, (ImmutableDictionary<string, string?>)Environment, workingDirectory, Limits);

    public ProcessCommand WithLimits(ServerLimits limits) =>
        new(TargetFilePath, (ImmutableArray<string>)Arguments, (ImmutableDictionary<string, string?>)Environment, WorkingDirectory, limits);

    public override string ToString() => string.Join(' ', Arguments.Prepend(TargetFilePath).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : "'" + argument.Replace("'", "'\\''") + "'";
}
