using System.Diagnostics;
using FluentAssertions;
using ProxyHost.Security;
using Xunit;

namespace ProxyHost.Core.Tests.Security;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateStateTests : IDisposable
{
    private readonly string _scratch = System.IO.Directory.CreateTempSubdirectory("proxyhost-state-test-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Ensure_CreatesFolderOnlyTheOwnerCanUse()
    {
        var path = PrivateState.Ensure(Path.Combine(_scratch, "state"));

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public void Ensure_RefusesFolderOthersMayWrite()
    {
        var path = Path.Combine(_scratch, "open");
        System.IO.Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);

        var act = () => PrivateState.Ensure(path);

        act.Should().Throw<PrivateStateException>().WithMessage($"refusing {path}: group or others may write to it (mode 0777)*");
    }

    [Fact]
    public void Ensure_TightensFolderOthersMayOnlyRead()
    {
        var path = Path.Combine(_scratch, "readable");
        System.IO.Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);

        PrivateState.Ensure(path);

        File.GetUnixFileMode(path).Should().Be((UnixFileMode)0b111_000_000);
    }

    [Fact]
    public void Ensure_RefusesSymbolicLinkPlantedInItsPlace()
    {
        var target = System.IO.Directory.CreateDirectory(Path.Combine(_scratch, "elsewhere")).FullName;
        var link = Path.Combine(_scratch, "link");
        System.IO.Directory.CreateSymbolicLink(link, target);

        var act = () => PrivateState.Ensure(link);

        act.Should().Throw<PrivateStateException>().WithMessage("*must be a folder, not a symbolic link*");
    }

    [Fact]
    public void Ensure_RefusesFolderOfAnotherUser()
    {
        var path = System.IO.Directory.CreateDirectory(Path.Combine(_scratch, "foreign")).FullName;
        File.SetUnixFileMode(path, (UnixFileMode)0b111_000_000);
        var chown = Process.Start("chown", ["65534", path]);
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            // Only root can give a folder away; as another user, make one that root owns instead.
            path = "/root";
        }

        var act = () => PrivateState.Ensure(path);

        act.Should().Throw<PrivateStateException>().WithMessage($"refusing {path}: it belongs to user *, not to this user*");
    }

    [Fact]
    public void Directory_RejectsSegmentsThatLeaveTheRoot()
    {
        var act = () => PrivateState.Directory("..");

        act.Should().Throw<ArgumentException>();
    }
}
