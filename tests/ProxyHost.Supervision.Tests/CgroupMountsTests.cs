using FluentAssertions;
using ProxyHost.Supervision.Limits;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class CgroupMountsTests
{
    [Fact]
    public void V1Hierarchies_AreFoundPerController_UnderTheirMountPoints()
    {
        var mounts = CgroupMounts.Parse(
            ["4:memory:/process_api/abc", "8:pids:/", "1:cpu,cpuacct:/user.slice", "0::/"],
            [
                "30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory",
                "31 25 0:27 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
                "32 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "33 25 0:29 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
            ]);

        mounts.V1Groups.Should().Contain("memory", "/sys/fs/cgroup/memory/process_api/abc")
            .And.Contain("pids", "/sys/fs/cgroup/pids")
            .And.Contain("cpu", "/sys/fs/cgroup/cpu,cpuacct/user.slice");
        mounts.UnifiedGroup.Should().Be("/sys/fs/cgroup/unified");
    }

    [Fact]
    public void AUnifiedHierarchy_InsideACgroupNamespace_ResolvesTheGroupAgainstTheMountRoot()
    {
        var mounts = CgroupMounts.Parse(
            ["0::/user.slice/user-1000.slice/user@1000.service/app.slice/proxyhost.service"],
            ["40 30 0:30 /user.slice /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"]);

        mounts.UnifiedGroup.Should().Be("/sys/fs/cgroup/user-1000.slice/user@1000.service/app.slice/proxyhost.service");
        mounts.V1Groups.Should().BeEmpty();
    }
}
