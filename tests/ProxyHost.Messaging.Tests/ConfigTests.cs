using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>The <c>webservers</c> section of proxyhost.json: every value checked, errors named by file and key.</summary>
public sealed class ConfigTests : IDisposable
{
    private const string File = "/etc/proxyhost.json";

    private readonly TempDirectory _directory = new("proxyhost-messaging-config-");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("web")]
    [InlineData("web/")]
    [InlineData("web/static")]
    [InlineData("web/static/uploads/")]
    [InlineData("other/../web/static/x")]
    [InlineData("data/incoming")]
    [InlineData("to-static")]
    [InlineData("to-static/x")]
    [InlineData("ABSOLUTE/web/static")]
    public void UploadDir_InsideOrEqualToAFolderServedAsIs_IsAConfigError(string uploadDir)
    {
        var error = ParseSiteWithUploads(uploadDir).Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Which;

        error.Source.Should().Be(Path.Combine(_directory.Path, "proxyhost.json"));
        error.Location.Should().Be("webservers.chat.upload_dir");
        error.Message.Should().Contain("uploads would be served as the site's own files");
    }

    [Theory]
    [InlineData("uploads")]
    [InlineData("web-uploads")]
    [InlineData("data/../uploads")]
    [InlineData("public")]
    [InlineData("ABSOLUTE/uploads")]
    public void UploadDir_OutsideEveryServedFolder_OrEqualToItsOwnMount_IsAccepted(string uploadDir)
    {
        ParseSiteWithUploads(uploadDir).Should().NotThrow();
    }

    /// <summary>
    /// Site "chat" with root <c>web</c> (and <c>web/static</c>), a mount of <c>data</c>, a mount of <c>public</c> (which becomes the
    /// upload mount when upload_dir names it) and a symbolic link <c>to-static</c> → <c>web/static</c>.
    /// </summary>
    private Action ParseSiteWithUploads(string uploadDir)
    {
        var root = _directory.Path;
        System.IO.Directory.CreateDirectory(Path.Combine(root, "web", "static"));
        System.IO.Directory.CreateDirectory(Path.Combine(root, "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(root, "public"));
        System.IO.Directory.CreateSymbolicLink(Path.Combine(root, "to-static"), Path.Combine(root, "web", "static"));
        var site = new { root = "web", mounts = new Dictionary<string, string> { ["data"] = "/data", ["public"] = "/public" }, upload_dir = uploadDir.Replace("ABSOLUTE", root, StringComparison.Ordinal) };
        var json = System.Text.Json.JsonSerializer.Serialize(new { webservers = new { chat = site } });
        return () => ProxyHostConfigReader.Parse(json, Path.Combine(root, "proxyhost.json"));
    }

    [Fact]
    public void WebServers_FullEntry_IsRead()
    {
        var configuration = ProxyHostConfigReader.Parse("""
            {"webservers": {"chat": {"root": "web", "index": "chat.html", "mounts": {"/data": "/files/data/", "up": "uploads"},
              "upload_dir": "up", "max_message_size": 1048576, "send_queue": 32, "echo": true}}}
            """, File);

        var site = configuration.WebServers.Single();
        site.Should().BeEquivalentTo(new
        {
            Name = "chat", Root = "web", Index = "chat.html", UploadDirectory = "up", MaxMessageSize = 1048576, SendQueueCapacity = 32, Echo = true,
        });
        site.Mounts.Should().Equal(new Dictionary<string, string> { ["/data"] = "files/data", ["up"] = "uploads" });
    }

    [Fact]
    public void WebServers_Defaults()
    {
        var site = ProxyHostConfigReader.Parse("""{"webservers": {"s": {}}}""", File).WebServers.Single();

        (site.Root, site.Index, site.UploadDirectory, site.MaxMessageSize, site.SendQueueCapacity, site.Echo, site.Mounts.Count)
            .Should().Be((null, "index.html", null, 16 * 1024 * 1024, 256, false, 0));
    }

    [Theory]
    [InlineData("""{"webservers": []}""", "webservers", "expected an object of site name to definition")]
    [InlineData("""{"webservers": {"-x": {}}}""", "webservers.-x", "'-x' is not a valid site name")]
    [InlineData("""{"webservers": {"Chat": {}, "chat": {}}}""", "webservers.chat", "site 'chat' is defined more than once")]
    [InlineData("""{"webservers": {"c": 3}}""", "webservers.c", "expected an object with keys such as \"root\"")]
    [InlineData("""{"webservers": {"c": {"rot": "web"}}}""", "webservers.c.rot", "unknown key (known keys: root, index, mounts")]
    [InlineData("""{"webservers": {"c": {"root": ""}}}""", "webservers.c.root", "expected a folder path, got the string \"\"")]
    [InlineData("""{"webservers": {"c": {"index": "../x.html"}}}""", "webservers.c.index", "expected a file name such as \"index.html\" (no folders)")]
    [InlineData("""{"webservers": {"c": {"mounts": ["/data"]}}}""", "webservers.c.mounts", "expected an object of local folder to URL prefix")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/data": 1}}}}""", "webservers.c.mounts./data", "expected a URL prefix such as \"/uploads\"")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/data": "/"}}}}""", "webservers.c.mounts./data", "a mount needs a URL prefix")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/data": "/ws"}}}}""", "webservers.c.mounts./data", "'ws/' is the site's own (static, ws)")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/data": "static/x"}}}}""", "webservers.c.mounts./data", "'static/' is the site's own")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/data": "a/../b"}}}}""", "webservers.c.mounts./data", "'a/../b' is not a valid URL prefix")]
    [InlineData("""{"webservers": {"c": {"mounts": {"/a": "files", "/b": "files/b"}}}}""", "webservers.c.mounts./b", "the prefix 'files/b' overlaps the mount of '/a' at 'files'")]
    [InlineData("""{"webservers": {"c": {"max_message_size": 32}}}""", "webservers.c.max_message_size", "expected a whole number of bytes (the 32-byte header included) from 33 to")]
    [InlineData("""{"webservers": {"c": {"max_message_size": "big"}}}""", "webservers.c.max_message_size", "got the string \"big\"")]
    [InlineData("""{"webservers": {"c": {"send_queue": 0}}}""", "webservers.c.send_queue", "expected a whole number of messages from 1 to 100000")]
    [InlineData("""{"webservers": {"c": {"echo": "yes"}}}""", "webservers.c.echo", "expected true or false")]
    public void WebServers_BadValues_AreNamedByFileAndKey(string json, string location, string message)
    {
        var act = () => ProxyHostConfigReader.Parse(json, File);

        var error = act.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Which;
        error.Source.Should().Be(File);
        error.Location.Should().Be(location);
        error.Message.Should().Contain(message);
    }
}
