namespace ProxyHost.Cli;

/// <summary>Where commands write: results to <see cref="Out"/>, messages and errors to <see cref="Error"/>.</summary>
/// <remarks>Tests pass string writers so every verb runs in-process with its output captured.</remarks>
public interface ICliConsole
{
    TextWriter Out { get; }

    TextWriter Error { get; }
}

/// <summary>The process's own standard output and error.</summary>
public sealed class SystemCliConsole : ICliConsole
{
    public static SystemCliConsole Instance { get; } = new();

    private SystemCliConsole()
    {
    }

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;
}
