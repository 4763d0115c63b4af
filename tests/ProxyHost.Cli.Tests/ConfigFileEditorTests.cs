using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Tests;

public sealed class ConfigFileEditorTests : IDisposable
{
    private const string Handwritten = """
        // ProxyHost config, edited by hand
        {
            "$schema": "https://example.invalid/proxyhost.schema.json", /* keep me */
            "servers": {
                // the notebook
                "lab": { "command": ["jupyter", "lab", "--port", "<port>"], "timeout": 30 },

                "web": {
                    "port": 8080,   // already running
                    "launcher_entry": { "title": "Web" },
                },
            },
        }

        """;

    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private ConfigFileEditor Editor => new(_directory.ConfigPath);

    private static ServerProcessDefinition Server(string name, params string[] command) => new() { Name = name, Command = command };

    [Fact]
    public async Task SetServer_Added_KeepsEveryOtherByte()
    {
        File.WriteAllText(_directory.ConfigPath, Handwritten);

        var outcome = await Editor.SetServerAsync(Server("new", "tool", "<port>"), replace: false);

        outcome.Should().Be(ServerEditOutcome.Added);
        var text = File.ReadAllText(_directory.ConfigPath);
        text.Should().Be(Handwritten.Replace(
            """
                    },
                },
            """,
            """
                    },
                    "new": {
                        "command": ["tool", "<port>"]
                    },
                },
            """));
        _directory.ReadConfig().Servers.Select(s => s.Name).Should().Equal("lab", "web", "new");
    }

    [Fact]
    public async Task SetServer_Replaced_ChangesOnlyThatEntry()
    {
        File.WriteAllText(_directory.ConfigPath, Handwritten);

        var outcome = await Editor.SetServerAsync(Server("lab", "lab2") with { Port = 9000 }, replace: true);

        outcome.Should().Be(ServerEditOutcome.Replaced);
        File.ReadAllText(_directory.ConfigPath).Should().Be(Handwritten.Replace(
            """
            "lab": { "command": ["jupyter", "lab", "--port", "<port>"], "timeout": 30 },
            """,
            """
            "lab": {
                        "command": ["lab2"],
                        "port": 9000
                    },
            """));
    }

    [Fact]
    public async Task RemoveServer_Middle_RemovesOnlyItsLinesAndComma()
    {
        File.WriteAllText(_directory.ConfigPath, Handwritten);

        await Editor.RemoveServerAsync("lab");

        File.ReadAllText(_directory.ConfigPath).Should().Be(Handwritten.Replace(
            """
                    "lab": { "command": ["jupyter", "lab", "--port", "<port>"], "timeout": 30 },

            """,
            ""));
        _directory.ReadConfig().Servers.Select(s => s.Name).Should().Equal("web");
    }

    [Fact]
    public async Task RemoveServer_LastWithoutTrailingComma_RemovesThePrecedingComma()
    {
        const string before = "{\n  \"servers\": {\n    \"a\": {\"port\": 1},\n    \"b\": {\"port\": 2}\n  },\n  \"$schema\": \"x\"\n}\n";
        File.WriteAllText(_directory.ConfigPath, before);

        await Editor.RemoveServerAsync("b");

        File.ReadAllText(_directory.ConfigPath).Should().Be("{\n  \"servers\": {\n    \"a\": {\"port\": 1}\n  },\n  \"$schema\": \"x\"\n}\n");
    }

    [Theory]
    [InlineData("a", "{\"servers\":{\"b\":{\"port\":2},\"c\":{\"port\":3}}}")]
    [InlineData("b", "{\"servers\":{\"a\":{\"port\":1},\"c\":{\"port\":3}}}")]
    [InlineData("c", "{\"servers\":{\"a\":{\"port\":1},\"b\":{\"port\":2}}}")]
    public async Task RemoveServer_CompactOneLineFile_KeepsItValidAndCompact(string name, string expected)
    {
        File.WriteAllText(_directory.ConfigPath, "{\"servers\":{\"a\":{\"port\":1},\"b\":{\"port\":2},\"c\":{\"port\":3}}}");

        await Editor.RemoveServerAsync(name);

        File.ReadAllText(_directory.ConfigPath).Should().Be(expected);
    }

    [Fact]
    public async Task AddThenRemove_HandwrittenFile_RestoresItByteForByte()
    {
        File.WriteAllText(_directory.ConfigPath, Handwritten);
        var before = File.ReadAllBytes(_directory.ConfigPath);

        await Editor.SetServerAsync(Server("temp", "x"), replace: false);
        await Editor.RemoveServerAsync("temp");

        File.ReadAllBytes(_directory.ConfigPath).Should().Equal(before);
    }

    [Fact]
    public async Task SetServer_LastEntryHasLineComment_InsertsAfterTheComment()
    {
        File.WriteAllText(_directory.ConfigPath, "{\n  \"servers\": {\n    \"a\": {\"port\": 1} // a's note\n  }\n}\n");

        await Editor.SetServerAsync(Server("b", "b"), replace: false);

        File.ReadAllText(_directory.ConfigPath).Should().Be(
            "{\n  \"servers\": {\n    \"a\": {\"port\": 1}, // a's note\n    \"b\": {\n      \"command\": [\"b\"]\n    }\n  }\n}\n");
    }

    [Fact]
    public async Task SetServer_NoServersSection_AddsItAfterTheLastTopLevelKey()
    {
        File.WriteAllText(_directory.ConfigPath, "{\n\t// tabs here\n\t\"$schema\": \"x\"\n}\n");

        await Editor.SetServerAsync(Server("lab", "lab"), replace: false);

        File.ReadAllText(_directory.ConfigPath).Should().Be(
            "{\n\t// tabs here\n\t\"$schema\": \"x\",\n\t\"servers\": {\n\t\t\"lab\": {\n\t\t\t\"command\": [\"lab\"]\n\t\t}\n\t}\n}\n");
    }

    [Fact]
    public async Task SetServer_EmptyServersObject_FillsItIndented()
    {
        File.WriteAllText(_directory.ConfigPath, "{\n  \"servers\": {}\n}\n");

        await Editor.SetServerAsync(Server("lab", "lab"), replace: false);

        File.ReadAllText(_directory.ConfigPath).Should().Be("{\n  \"servers\": {\n    \"lab\": {\n      \"command\": [\"lab\"]\n    }\n  }\n}\n");
    }

    [Fact]
    public async Task SetServer_CrLfAndBom_AreKept()
    {
        var original = "{\r\n  \"servers\": {\r\n    \"a\": {\"port\": 1}\r\n  }\r\n}\r\n";
        File.WriteAllBytes(_directory.ConfigPath, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(original)]);

        await Editor.SetServerAsync(Server("b", "b"), replace: false);

        var bytes = File.ReadAllBytes(_directory.ConfigPath);
        bytes.Take(3).Should().Equal(0xEF, 0xBB, 0xBF);
        Encoding.UTF8.GetString(bytes[3..]).Should().Be(
            "{\r\n  \"servers\": {\r\n    \"a\": {\"port\": 1},\r\n    \"b\": {\r\n      \"command\": [\"b\"]\r\n    }\r\n  }\r\n}\r\n");
    }

    [Fact]
    public async Task SetServer_InvalidExistingFile_IsNotTouched()
    {
        const string broken = "{\"servers\": {\"lab\": {\"command\": [\"lab\"], \"colour\": \"red\"}}}";
        File.WriteAllText(_directory.ConfigPath, broken);

        var act = () => Editor.SetServerAsync(Server("web", "web"), replace: false);

        var error = (await act.Should().ThrowAsync<ConfigValidationException>()).Which;
        error.Errors[0].Message.Should().Contain("not changed");
        error.Errors.Should().Contain(e => e.Location == "servers.lab.colour");
        File.ReadAllText(_directory.ConfigPath).Should().Be(broken);
        _directory.StrayFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task SetServer_SyntaxError_IsNotTouched()
    {
        const string broken = "{\"servers\": {\"lab\": ";
        File.WriteAllText(_directory.ConfigPath, broken);

        var act = () => Editor.SetServerAsync(Server("web", "web"), replace: false);

        (await act.Should().ThrowAsync<ConfigValidationException>()).Which.Errors.Should().Contain(e => e.Message.StartsWith("invalid JSON", StringComparison.Ordinal));
        File.ReadAllText(_directory.ConfigPath).Should().Be(broken);
    }

    [Fact]
    public async Task SetServer_DefinitionTheReaderRejects_WritesNothing()
    {
        File.WriteAllText(_directory.ConfigPath, Handwritten);

        var act = () => Editor.SetServerAsync(Server("bad", "x") with { MapPath = new Dictionary<string, string> { ["no-slash"] = "/x" } }, replace: false);

        (await act.Should().ThrowAsync<ConfigValidationException>()).Which.Errors.Should().ContainSingle(e => e.Location == "servers.bad.mappath.no-slash");
        File.ReadAllText(_directory.ConfigPath).Should().Be(Handwritten);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SetServer_Write_KeepsFileModeAndLeavesNoTempFiles()
    {
        File.WriteAllText(_directory.ConfigPath, "{}");
        File.SetUnixFileMode(_directory.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        for (var i = 0; i < 5; i++)
        {
            await Editor.SetServerAsync(Server($"s{i}", "x"), replace: false);
        }

        File.GetUnixFileMode(_directory.ConfigPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _directory.StrayFiles().Should().BeEmpty();
        _directory.ReadConfig().Servers.Should().HaveCount(5);
    }

    [Fact]
    public async Task SetServer_Symlink_EditsTheTargetAndKeepsTheLink()
    {
        var target = _directory.Combine("real.json");
        File.WriteAllText(target, "{}");
        File.CreateSymbolicLink(_directory.ConfigPath, target);

        await Editor.SetServerAsync(Server("lab", "lab"), replace: false);

        new FileInfo(_directory.ConfigPath).LinkTarget.Should().Be(target);
        ProxyHostConfigReader.ReadFile(target).Servers.Should().ContainSingle();
    }

    [Fact]
    public async Task SetServer_LockHeldElsewhere_FailsAfterTheTimeoutWithoutWriting()
    {
        File.WriteAllText(_directory.ConfigPath, "{}");
        using var held = new FileStream(_directory.ConfigPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var editor = new ConfigFileEditor(_directory.ConfigPath) { LockTimeout = TimeSpan.FromMilliseconds(200) };

        var act = () => editor.SetServerAsync(Server("lab", "lab"), replace: false);

        (await act.Should().ThrowAsync<ConfigEditException>()).Which.Error.Should().Be(ConfigEditError.Locked);
        File.ReadAllText(_directory.ConfigPath).Should().Be("{}");
    }

    [Fact]
    public async Task SetServer_ManyConcurrentTasks_LoseNoEntry()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"server{i}").ToList();

        await Task.WhenAll(names.Select(name => Task.Run(() => new ConfigFileEditor(_directory.ConfigPath).SetServerAsync(Server(name, name), replace: false))))
            .WaitAsync(TimeSpan.FromSeconds(60));

        _directory.ReadConfig().Servers.Select(s => s.Name).Should().BeEquivalentTo(names);
        _directory.StrayFiles().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_ManyConcurrentAdds_LoseNoEntry()
    {
        var names = Enumerable.Range(0, 20).Select(i => $"cli{i}").ToList();

        var runs = await Task.WhenAll(names.Select(name => Task.Run(() => CliRun.RunAsync("add", name, "--config", _directory.ConfigPath, "--", name))));

        runs.Should().AllSatisfy(run => run.ExitCode.Should().Be(ExitCodes.Success, run.Error));
        _directory.ReadConfig().Servers.Select(s => s.Name).Should().BeEquivalentTo(names);
    }
}
