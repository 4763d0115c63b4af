using FluentAssertions;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests;

public sealed class CatalogTests
{
    [Fact]
    public void Update_Changed_SwapsSnapshotThenFiresOldToken()
    {
        var catalog = new InMemoryServerProcessCatalog([new ServerProcessDefinition { Name = "a", Port = 1 }]);
        var token = catalog.GetChangeToken();
        ServerCatalogSnapshot? seenInCallback = null;
        token.RegisterChangeCallback(_ => seenInCallback = catalog.Current, null);

        catalog.Update([new ServerProcessDefinition { Name = "b", Port = 2 }]).Should().BeTrue();

        token.HasChanged.Should().BeTrue();
        seenInCallback!.Servers.Single().Name.Should().Be("b");
        seenInCallback.Version.Should().Be(2);
        catalog.GetChangeToken().HasChanged.Should().BeFalse();
    }

    [Fact]
    public void Update_SameDefinitions_DoesNotFire()
    {
        var catalog = new InMemoryServerProcessCatalog([new ServerProcessDefinition { Name = "a", Command = ["x"] }]);
        var token = catalog.GetChangeToken();

        catalog.Update([new ServerProcessDefinition { Name = "a", Command = ["x"] }]).Should().BeFalse();

        token.HasChanged.Should().BeFalse();
        catalog.Current.Version.Should().Be(1);
    }

    [Fact]
    public void Find_IsCaseInsensitive() =>
        new ServerCatalogSnapshot([new ServerProcessDefinition { Name = "Lab", Port = 1 }], 1).Find("lab")!.Name.Should().Be("Lab");
}
