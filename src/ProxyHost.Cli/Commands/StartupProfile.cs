using System.Runtime;
using ProxyHost.Security;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// The runtime's multicore JIT for <c>serve</c>. ReadyToRun cannot hold code for generic instantiations
/// that mix the framework's types with ProxyHost's (async state machines, collections of its records), so a
/// fresh process still JIT-compiles about 1,300 methods on the first click alone. Each serve records which
/// methods it compiled, and the next one compiles them on a background thread before they are asked for.
/// The profile lives in the private state folder (<c>jit/serve.jitprofile</c>), is written when serve
/// exits, and the runtime checks each recorded assembly's identity before using it, so a first launch, or
/// the first after an upgrade, simply runs without it.
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
