using System.Text;
using FluentAssertions;
using ProxyHost.Security;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Supervision.Tests;

/// <summary>Socket folders live in the private state folder, one fresh 0700 folder per start, and every socket path fits sun_path.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnixSocketPathAllocatorTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly TempDirectory _directory = new("proxyhost-sockets-");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Allocate_CreatesAFreshPrivateFolderUnderThePrivateRoot_RemovedOnDispose()
    {
        var directory = new UnixSocketPathAllocator().Allocate("my lab/1");
        var other = new UnixSocketPathAllocator().Allocate("my lab/1");

        Path.GetDirectoryName(directory.DirectoryPath).Should().Be(Path.Combine(PrivateState.Root, "sockets"));
        Path.GetFileName(directory.DirectoryPath).Should().MatchRegex("^my_lab_1-[0-9a-f]{12}$");
        other.DirectoryPath.Should().NotBe(directory.DirectoryPath);
        directory.SocketPath.Should().Be(Path.Combine(directory.DirectoryPath, "socket"));
        File.GetUnixFileMode(Path.Combine(PrivateState.Root, "sockets")).Should().Be(OwnerOnly);
        File.GetUnixFileMode(directory.DirectoryPath).Should().Be(OwnerOnly);
        directory.Dispose();
        other.Dispose();
        Directory.Exists(directory.DirectoryPath).Should().BeFalse();
    }

    [Fact]
    public void Allocate_LongStateFolder_ShortensTheServerNameSoTheSocketPathFits()
    {
        var root = LongFolder(70);

        using var directory = new UnixSocketPathAllocator(() => root).Allocate(new string('n', 40));

        Encoding.UTF8.GetByteCount(directory.SocketPath).Should().BeLessThanOrEqualTo(UnixSocketPathAllocator.MaxSocketPathBytes);
        Path.GetFileName(directory.DirectoryPath).Should().MatchRegex("^n+-[0-9a-f]{12}$");
    }

    [Fact]
    public void Allocate_StateFolderTooLongForAnySocketPath_FailsNamingThePathAndTheVariable()
    {
        var root = LongFolder(100);

        var failure = FluentActions.Invoking(() => new UnixSocketPathAllocator(() => root).Allocate("lab")).Should().Throw<PrivateStateException>().Which;

        failure.Message.Should().Contain(root).And.Contain("107").And.Contain(PrivateState.OverrideVariable).And.NotContain("\n");
    }

    private string LongFolder(int length)
    {
        var path = Path.Combine(_directory.Path, new string('d', Math.Max(1, length - _directory.Path.Length - 1)));
        Directory.CreateDirectory(path);
        return path;
    }
}
