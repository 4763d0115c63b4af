using System.Runtime.CompilerServices;

namespace ProxyHost.Tests;

/// <summary>Bounds for every wait in tests: generous, because the machine is slow and shared.</summary>
public static class TestTimeouts
{
    public static TimeSpan Default { get; } = TimeSpan.FromSeconds(30);

    public static Task DefaultTimeout(this Task task, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.WaitAsync(Default).ContinueWith(t => Rethrow(t, file, line), TaskScheduler.Default).Unwrap();

    public static Task<T> DefaultTimeout<T>(this Task<T> task, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.WaitAsync(Default).ContinueWith(t => Rethrow(t, file, line), TaskScheduler.Default).Unwrap();

    public static Task DefaultTimeout(this ValueTask task, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.AsTask().DefaultTimeout(file, line);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0) =>
        task.AsTask().DefaultTimeout(file, line);

    /// <summary>A token that cancels after <see cref="Default"/>.</summary>
    public static CancellationToken DefaultToken() => new CancellationTokenSource(Default).Token;

    private static Task Rethrow(Task task, string? file, int line) =>
        task.Exception?.InnerException is TimeoutException timeout
            ? Task.FromException(new TimeoutException($"timed out after {Default.TotalSeconds} s at {Path.GetFileName(file)}:{line}", timeout))
            : task;

    private static Task<T> Rethrow<T>(Task<T> task, string? file, int line) =>
        task.Exception?.InnerException is TimeoutException timeout
            ? Task.FromException<T>(new TimeoutException($"timed out after {Default.TotalSeconds} s at {Path.GetFileName(file)}:{line}", timeout))
            : task;
}
