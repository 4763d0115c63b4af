namespace ProxyHost.Tests;

/// <summary>A fresh private (0700) folder for one test, deleted with everything in it when disposed.</summary>
public class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "proxyhost-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] names) => System.IO.Path.Combine([Path, .. names]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
            // A process the test started may still be writing into it; the OS temp cleaner takes what is left.
        }
        GC.SuppressFinalize(this);
    }
}
