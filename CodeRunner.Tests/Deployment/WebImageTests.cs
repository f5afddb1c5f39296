using System.Text.Json;
using CodeRunner.Tests.EndToEnd;
using CodeRunner.Web.Components.Editor;
using Microsoft.Playwright;

namespace CodeRunner.Tests.Deployment;

/// <summary>
/// The web app's container image: it builds, starts with the Docker socket and a data volume, is ready, and runs a
/// student's program through the real IDE in Chromium (the page, its circuit, the engine in the container, a runtime
/// container on the host's Docker engine, and the output back to the console).
/// </summary>
[Collection(DeploymentCollection.Name)]
public sealed class WebImageTests(DeploymentFixture deployment)
{
    [Fact]
    public async Task WebImage_Started_AnswersReadyz_Healthy()
    {
        var container = await deployment.ContainerAsync();
        using var http = new HttpClient { BaseAddress = container.Address };
        var response = await http.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/readyz answered {(int)response.StatusCode}:\n{body}\n{await container.LogsAsync()}");
        using var report = JsonDocument.Parse(body);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("deploy.py", "print(6 * 7)")]
    [InlineData("deploy.sql", "SELECT 6 * 7 AS answer;")] // the engine in the container reaches the SQL server's internal network
    public async Task WebImage_RunsAProgram_FromTheIde(string file, string source)
    {
        var container = await deployment.ContainerAsync();
        using var playwright = await Playwright.CreateAsync();
        var browser = await IdeBrowser.LaunchAsync(playwright);
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(container.Address.ToString());
            await page.Locator(".ide[data-loaded=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await page.Locator($"#{CodeEditor.EditorId}[data-ready=true]")
                .WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000, State = WaitForSelectorState.Attached });

            var ide = new IdePage(page);
            await ide.CreateFileAsync(file);
            await ide.PasteAsync(source);
            await ide.RunAsync(file);
            try
            {
                await ide.WaitForOutputAsync(file, "42", timeoutMs: 60_000);
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{file} printed no 42: {await ide.ConsoleOutput(file).InnerTextAsync()}\n{await container.LogsAsync()}", ex);
            }
        }
        finally
        {
            await browser.CloseAsync();
        }
    }
}
