using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ProxyHost.Supervision.Processes;

/// <summary>
/// Forks every child from one thread that lives as long as the process. The kernel sends the
/// parent-death signal (<c>PR_SET_PDEATHSIG</c>) when the <em>thread</em> that forked the child exits,
/// not the process, and CliWrap's <c>ExecuteAsync</c> forks (through <c>Process.Start</c>) on the calling
/// thread before it returns: a child started from a pool thread would be killed when that thread retires.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Thread Thread = StartThread();

    /// <summary>Runs <paramref name="launch"/> on the launcher thread and waits for its result.</summary>
    public static T Invoke<T>(Func<T> launch)
    {
        if (Environment.CurrentManagedThreadId == Thread.ManagedThreadId)
        {
            return launch();
        }
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        // The caller's ExecutionContext goes along, so that the output readers the launch starts keep
        // its log scopes (the server's name) and activity.
        var context = ExecutionContext.Capture();
        Work.Add(() =>
        {
            try
            {
                if (context is null)
                {
                    result = launch();
                }
                else
                {
                    ExecutionContext.Run(context, _ => result = launch(), null);
                }
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var launch in Work.GetConsumingEnumerable())
            {
                launch();
            }
        })
        {
            IsBackground = true,
            Name = "ProxyHost process launcher",
        };
        thread.Start();
        return thread;
    }
}
