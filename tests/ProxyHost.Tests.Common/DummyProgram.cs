namespace ProxyHost.Tests;

/// <summary>
/// The test dummy program (tests/ProxyHost.Tests.Dummy), copied next to the test assembly through the
/// project reference. Run it as <c>dotnet ProxyHost.Tests.Dummy.dll &lt;subcommand&gt; ...</c>.
/// </summary>
public static class DummyProgram
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "ProxyHost.Tests.Dummy.dll");

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), else "dotnet" from PATH.</summary>
    public static string DotNetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The argv prefix: <c>[dotnet, path-to-dummy.dll]</c>.</summary>
    public static IReadOnlyList<string> Prefix { get; } = [DotNetHost, DllPath];

    /// <summary>The full argv for a dummy subcommand with its arguments.</summary>
    public static string[] Argv(params string[] arguments) => [.. Prefix, .. arguments];
}
