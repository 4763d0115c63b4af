using Microsoft.Playwright;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Browser.Tests;

/// <summary>examples/jupyter with Debian's Jupyter Notebook: a notebook opened through ProxyHost in Chromium runs a cell.</summary>
public sealed class JupyterNotebookPageTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly LocatorAssertionsToHaveTextOptions Bounded = new() { Timeout = 60_000 };

    [Fact]
    public async Task Notebook_OpenedThroughProxyHost_RunsACell()
    {
        JupyterAsRoot.Allow();
        var folder = "proxyhost-jupyter-" + Guid.NewGuid().ToString("N")[..8];
        var path = Path.Combine(Environment.CurrentDirectory, folder);
        Directory.CreateDirectory(path);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(path, "check.ipynb"), """
                {"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["print(6*7)"]}],
                 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                 "nbformat": 4, "nbformat_minor": 5}
                """);
            await using var host = await TestProxyHost.StartAsync(configPath: RepositoryRoot.Combine("examples", "jupyter", "proxyhost.json"), output: output);
            await using var context = await chromium.Browser.NewContextAsync();
            var page = await context.NewPageAsync();

            await page.GotoAsync(new Uri(host.Address, $"/jupyter/notebooks/{folder}/check.ipynb?token={TestProxyHost.Token}").ToString(), new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("#kernel_indicator_icon.kernel_idle_icon")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await page.Locator(".cell.code_cell .input_area").First.ClickAsync();
            await page.Locator("button[data-jupyter-action='jupyter-notebook:run-cell-and-select-next']").ClickAsync();

            await Assertions.Expect(page.Locator(".cell.code_cell .output_subarea").First).ToHaveTextAsync("42", Bounded);
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
