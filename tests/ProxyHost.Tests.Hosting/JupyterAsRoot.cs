namespace ProxyHost.Tests.Hosting;

/// <summary>
/// Jupyter refuses to run as root without <c>allow_root</c>, and CI runs as root. The example stays as a
/// user runs it; the tests add the setting through a Jupyter config folder of their own, which the servers
/// ProxyHost starts inherit through the environment.
/// </summary>
public static class JupyterAsRoot
{
    private static readonly Lazy<bool> Allowed = new(() =>
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return false;
        }
        var folder = Directory.CreateTempSubdirectory("proxyhost-jupyter-config-").FullName;
        File.WriteAllText(Path.Combine(folder, "jupyter_notebook_config.json"), """{"NotebookApp": {"allow_root": true}}""");
        Environment.SetEnvironmentVariable("JUPYTER_CONFIG_DIR", folder);
        return true;
    });

    public static void Allow() => _ = Allowed.Value;
}
