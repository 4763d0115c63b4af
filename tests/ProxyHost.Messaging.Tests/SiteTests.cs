using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Messaging.Protocol;
using ProxyHost.Messaging.Server;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Messaging.Tests;

/// <summary>What a site serves over HTTP: uploads through mounts, the index page, static files, and HTTPS/WSS.</summary>
public sealed partial class SiteTests : ServerHarness
{
    [Fact]
    public async Task Uploads_GetCollisionFreeSanitisedNames_AndAreServedBackThroughTheMount()
    {
        var uploads = Path.Combine(Directory.FullName, "uploads");
        var server = await StartAsync(o =>
        {
            o.UploadDirectory = uploads;
            o.Echo = true;
        });
        var saved = new List<ReceivedMessage>();
        server.AddMessageHandler(m =>
        {
            if (m.Path is not null)
            {
                lock (saved)
                {
                    saved.Add(m);
                }
            }
            return ValueTask.CompletedTask;
        });
        await using var client = await ConnectAsync(server);
        await client.ReceiveAsync();
        (string Extension, MessageType Type, byte[] Content)[] sent =
        [
            ("txt", MessageType.File, "one"u8.ToArray()),
            ("txt", MessageType.File, "two"u8.ToArray()),
            ("txt", MessageType.File, "three"u8.ToArray()),
            ("../../x.sh", MessageType.File, "#!/bin/sh"u8.ToArray()),
            ("a.php.", MessageType.File, "<?php"u8.ToArray()),
            ("png", MessageType.Image, [0x89, (byte)'P', (byte)'N', (byte)'G']),
        ];

        var urls = new List<string>();
        foreach (var (extension, type, content) in sent)
        {
            await client.SendAsync(type, content, extension);
            var reply = JsonDocument.Parse((await client.ReceiveAsync()).Payload).RootElement;
            reply.GetProperty("size").GetInt32().Should().Be(content.Length);
            urls.Add(reply.GetProperty("url").GetString()!);
        }

        urls.Should().OnlyHaveUniqueItems("three uploads in the same second must not overwrite each other");
        urls.Should().AllSatisfy(u => UploadUrl().IsMatch(u).Should().BeTrue(u));
        urls.Select(Path.GetExtension).Should().Equal(".txt", ".txt", ".txt", ".x", ".php", ".png");
        System.IO.Directory.GetFiles(uploads).Should().HaveCount(sent.Length, "every file stays inside the upload folder");
        saved.Select(m => Path.GetDirectoryName(m.Path)).Should().AllBe(Path.GetFullPath(uploads));
        using var http = HttpClientFor(server);
        for (var i = 0; i < sent.Length; i++)
        {
            using var response = await http.GetAsync(urls[i]).DefaultTimeout();
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            (await response.Content.ReadAsByteArrayAsync()).Should().Equal(sent[i].Content);
            response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
            response.Headers.GetValues("Content-Security-Policy").Should().Equal("sandbox");
        }
        using (var php = await http.GetAsync(urls[4]).DefaultTimeout())
        {
            php.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment", "uploaded active content is downloaded, never rendered");
        }
        using (var png = await http.GetAsync(urls[5]).DefaultTimeout())
        {
            (png.Content.Headers.ContentType!.MediaType, png.Content.Headers.ContentDisposition).Should().Be(("image/png", null));
        }
        (await http.GetAsync("uploads/../uploads/" + Path.GetFileName(urls[0])).DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync("uploads/%2e%2e/%2e%2e/etc/passwd").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Mounts_ServeTheirFolders_AndTheSeedsUploadRuleApplies()
    {
        var data = System.IO.Directory.CreateDirectory(Path.Combine(Directory.FullName, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "notes.txt"), "mounted");
        var uploads = Path.Combine(Directory.FullName, "my-uploads");
        var server = await StartAsync(o =>
        {
            o.Mounts[data] = "/files/data/";
            o.Mounts[uploads] = "/up";
        });
        using var http = HttpClientFor(server);

        (await http.GetStringAsync("files/data/notes.txt").DefaultTimeout()).Should().Be("mounted");
        (await http.GetAsync("files/data/missing.txt").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);
        server.UploadDirectory.Should().Be(uploads, "a mount whose folder says \"upload\" is the upload folder, as in the seed");
        var act = () => new WebServer(Options(o =>
        {
            o.Mounts[data] = "a";
            o.Mounts[uploads] = "a/b";
        }));
        act.Should().Throw<ArgumentException>().WithMessage("*overlaps*");
        var reserved = () => new WebServer(Options(o => o.Mounts[data] = "/ws"));
        reserved.Should().Throw<ArgumentException>().WithMessage("*'ws/' is the site's own*");
    }

    [Fact]
    public void UploadFolder_InsideTheSiteRoot_IsRefused_EvenWhenTheSeedsRuleChoseIt()
    {
        var root = Directory.CreateSubdirectory("refused-site").FullName;
        var inStatic = Path.Combine(root, "static", "uploads");

        var explicitFolder = () => new WebServer(Options(o => (o.Root, o.UploadDirectory) = (root, inStatic)));
        var seedsRule = () => new WebServer(Options(o =>
        {
            o.Root = root;
            o.Mounts[inStatic] = "/up";
        }));

        explicitFolder.Should().Throw<ArgumentException>().WithMessage("*uploads would be served as the site's own files*");
        seedsRule.Should().Throw<ArgumentException>().WithMessage("*uploads would be served as the site's own files*");
    }

    [Fact]
    public async Task IndexPage_RendersVariables_StaticFilesAndTheBundledClientAreServed()
    {
        var root = Directory.CreateSubdirectory("site");
        root.CreateSubdirectory("templates");
        root.CreateSubdirectory("static");
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "templates", "index.html"), "<title>{{ title }}</title><script>connectWebsocket(cb, port={{ws_port}}); {{ unknown }}</script>");
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "static", "app.js"), "app();");
        var server = await StartAsync(o =>
        {
            o.Root = root.FullName;
            o.TemplateVariables["title"] = "Chat <beta>";
        });
        using var http = HttpClientFor(server);

        (await http.GetStringAsync("/").DefaultTimeout()).Should().Be("<title>Chat &lt;beta&gt;</title><script>connectWebsocket(cb, port=null); {{ unknown }}</script>");
        (await http.GetStringAsync("static/app.js").DefaultTimeout()).Should().Be("app();");
        var script = await http.GetAsync("static/websocket.js").DefaultTimeout();
        script.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await script.Content.ReadAsStringAsync()).Should().Contain("function connectWebsocket(").And.Contain("function sendWebsocket(");
        (await http.GetAsync("static/../templates/index.html").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await http.GetAsync("ws").DefaultTimeout()).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Https_ServesThePageAndWss_ToAClientThatPinsTheCertificate()
    {
        var certificate = SelfSignedCertificate.Create(Directory.FullName);
        var root = Directory.CreateSubdirectory("tls");
        await File.WriteAllTextAsync(Path.Combine(root.FullName, "index.html"), "secure page");
        var server = await StartAsync(o =>
        {
            o.SslCert = certificate.CertificatePath;
            o.SslKey = certificate.KeyPath;
            o.Root = root.FullName;
            o.Echo = true;
        });
        server.Urls[0].Scheme.Should().Be("https");
        using var http = new HttpClient(certificate.CreateHandler()) { BaseAddress = server.Urls[0] };
        using var unpinned = new HttpClient { BaseAddress = server.Urls[0] };

        (await http.GetStringAsync("/").DefaultTimeout()).Should().Be("secure page");
        await using var client = await TypedClient.ConnectAsync(WebSocketUri(server), o => o.RemoteCertificateValidationCallback = (_, c, _, e) => certificate.Validate(c, e));
        await client.ReceiveAsync();
        await client.SendAsync(MessageType.Text, "over wss");
        (await client.ReceiveTextAsync()).Should().Be("echo: over wss");
        await unpinned.Invoking(c => c.GetStringAsync("/")).Should().ThrowAsync<HttpRequestException>("the certificate is self-signed, so only the pinned client trusts it");
    }

    [Fact]
    public void SslFiles_MissingOrMismatched_AreNamedInTheError()
    {
        var one = SelfSignedCertificate.Create(Directory.FullName, "one");
        var two = SelfSignedCertificate.Create(Directory.FullName, "two");
        var missing = Path.Combine(Directory.FullName, "missing.pem");

        Build(missing, one.KeyPath).Should().Throw<ArgumentException>().WithMessage($"SslCert: {missing} does not exist");
        Build(one.CertificatePath, one.CertificatePath).Should().Throw<ArgumentException>().WithMessage("SslKey: * holds no PEM private key*");
        Build(one.CertificatePath, two.KeyPath).Should().Throw<ArgumentException>().WithMessage($"SslKey: {two.KeyPath} is not the private key of the certificate in {one.CertificatePath}");
        Build(one.CertificatePath, null).Should().Throw<ArgumentException>().WithMessage("SslCert and SslKey go together*");

        static Action Build(string cert, string? key) => () => new WebServer(Options(o =>
        {
            o.SslCert = cert;
            o.SslKey = key;
        }));
    }

    [GeneratedRegex(@"^uploads/\d{8}_\d{6}_[0-9a-f]{8}\.[a-z0-9]{1,8}$")]
    private static partial Regex UploadUrl();
}
