using FluentAssertions;
using ProxyHost.Messaging.Server;
using Xunit;

namespace ProxyHost.Messaging.Tests;

public sealed class UploadNameTests
{
    [Theory]
    [InlineData("png", "png")]
    [InlineData("JPG", "jpg")]
    [InlineData("../../x.sh", "sh")]
    [InlineData("../../x.", "x")]
    [InlineData("a.php.", "php")]
    [InlineData("a.php. ", "php")]
    [InlineData("..\\..\\", "bin")]
    [InlineData("", "bin")]
    [InlineData("/", "bin")]
    [InlineData("p n\0g", "png")]
    [InlineData("verylongextension", "verylong")]
    public void SanitizeExtension_KeepsOnlyASafeLastPart(string clientExtension, string expected) =>
        UploadStore.SanitizeExtension(clientExtension).Should().Be(expected);
}
