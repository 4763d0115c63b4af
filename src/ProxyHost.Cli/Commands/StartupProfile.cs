using System.Runtime;
using ProxyHost.Security;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// The runtime's multicore JIT for <c>serve</c>. ReadyToRun cannot hold code for generic instantiations
/// that mix the framework's types with ProxyHost's (async state machines, collections of its records), so a
/// fresh process still JIT-compiles about 1,300 methods on the first click alone. Each serve records which
/// methods it compiled, and the next one compiles them on a background thread before they are asked for.
/// The profile lives in the private state folder (<c>jit/serve.jitprofile</c>) and is written when serve
/// exits. A first launch runs without it; the runtime validates the file's header and records and finds
/// each method in the assemblies loaded now, so a stale or torn profile only means compiling in the foreground.
/// </summary>
internal static class StartupProfile
{
    public const string FileName = "serve.jitprofile";

    public static void Start()
    {
        ProfileOptimization.SetProfileRoot(PrivateState.Directory("jit"));
        ProfileOptimization.StartProfile(FileName);
    }
}
