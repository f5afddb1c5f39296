using System.Diagnostics;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>The IDE in real Chromium against the real web host and the real engine.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IdeTests(IdeFixture fixture)
{
    [Fact]
    public async Task PythonInput_TypedAndRun_PromptAnsweredAndVerdictShown()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("greet.py");
        await ide.TypeAsync("name = input(\"Your name? \")\nprint(\"Hello, \" + name + \"!\")\n");

        await ide.RunAsync("greet.py");
        await ide.WaitForOutputAsync("greet.py", "Your name? ");
        await ide.StdinInput("greet.py").FillAsync("Ada");
        await ide.StdinInput("greet.py").PressAsync("Enter");

        await ide.WaitForOutputAsync("greet.py", "Hello, Ada!");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("greet.py"));
        await ide.Page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("click")]
    [InlineData("Control+Enter")]
    public async Task Run_RightAfterTyping_RunsTheTextOnScreen(string how)
    {
        // The editor sends its text 400 ms after typing stops; a run started sooner must still run what is on screen.
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("edited.py");
        for (var round = 1; round <= 3; round++)
        {
            await ide.TypeAsync($"print(\"round {round}\")\n");
            if (how == "click")
            {
                await ide.TestId("run-button").ClickAsync(new LocatorClickOptions { Delay = 0 });
            }
            else
            {
                await ide.Page.Keyboard.PressAsync(how);
            }

            await ide.WaitForOutputAsync("edited.py", $"round {round}");
            await ide.WaitForVerdictAsync("edited.py");
            var lines = await ide.ConsoleOutput("edited.py").Locator("[data-testid='console-line']").AllInnerTextsAsync();
            Assert.DoesNotContain(lines, line => line.Contains($"round {round - 1}", StringComparison.Ordinal));
        }

        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_BothThemes_SavedWithConsoleOutput()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.OpenAsync("python/hello.py");
        await ide.RunAsync("python/hello.py");
        await ide.WaitForVerdictAsync("python/hello.py");
        var folder = IdeFixture.ScreenshotFolder();

        Assert.Equal("dark", await ide.TestId("theme-toggle").GetAttributeAsync("data-theme"));
        await ide.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "ide-dark.png") });
        await ide.TestId("theme-toggle").ClickAsync();
        await ide.Page.Locator(".ide-light").WaitForAsync();
        await ide.Page.Mouse.MoveAsync(700, 400); // close the toggle's tooltip
        await ide.Page.WaitForTimeoutAsync(500); // Monaco repaints in its own theme
        await ide.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "ide-light.png") });

        Assert.True(new FileInfo(Path.Combine(folder, "ide-light.png")).Length > 10_000);
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task TwentyThousandLines_Streamed_PageRespondsAndConsoleKeeps2000()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("many.py");
        await ide.PasteAsync("for i in range(20000):\n    print(f\"line {i}\")\n");
        await ide.RunAsync("many.py");

        // While the output streams in, the page keeps answering: a round trip through the server flips the theme.
        var clock = Stopwatch.StartNew();
        await ide.TestId("theme-toggle").ClickAsync();
        await ide.Page.Locator(".ide-light").WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The theme took {clock.Elapsed.TotalSeconds:0.0} s to switch during the flood.");

        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("many.py"));
        var output = ide.ConsoleOutput("many.py");
        Assert.Equal("2000", await output.GetAttributeAsync("data-entries"));
        await ide.WaitForOutputAsync("many.py", "line 19999");
        Assert.InRange(await output.Locator("[data-testid='console-line']").CountAsync(), 1, 200);

        await output.EvaluateAsync("el => el.scrollTop = 0");
        await Assertions.Expect(output.Locator("[data-testid='console-line']").First).ToHaveTextAsync("line 18000");
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task NetworkMode_ServerAndClientInTwoConsoles_Talk()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.TestId("network-toggle").ClickAsync();
        await Assertions.Expect(ide.TestId("network-toggle")).ToHaveAttributeAsync("aria-pressed", "true");

        await ide.OpenAsync("network/server.py");
        await ide.RunAsync("network/server.py");
        await ide.WaitForOutputAsync("network/server.py", "listening", 60_000);
        await ide.OpenAsync("network/client.py");
        await ide.RunAsync("network/client.py");

        await ide.WaitForOutputAsync("network/client.py", "the server answered 'HELLO SERVER'");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("network/client.py"));
        await ide.ConsoleTab("network/server.py").Locator("button").First.ClickAsync();
        await ide.WaitForOutputAsync("network/server.py", "server: got 'hello server'");
        Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("network/server.py"));
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reload_AfterEditing_FilesTextAndThemeStillThere()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.CreateFileAsync("keep/notes.py");
        await ide.PasteAsync("print('kept across reloads')\n");
        await ide.TestId("theme-toggle").ClickAsync();
        await ide.Page.WaitForFunctionAsync("() => (localStorage.getItem('coderunner.v1.file:keep/notes.py') || '').includes('kept across')");
        await ide.Page.WaitForFunctionAsync("() => JSON.parse(localStorage.getItem('coderunner.v1.manifest')).darkMode === false");

        await fixture.LoadIdeAsync(ide.Page, () => ide.Page.ReloadAsync());

        await ide.ExplorerItem("keep/notes.py").WaitForAsync();
        await Assertions.Expect(ide.Page.Locator("[data-testid='editor'][data-path='keep/notes.py']")).ToBeVisibleAsync();
        await Assertions.Expect(ide.Editor.Locator(".view-lines")).ToContainTextAsync("kept across reloads");
        await Assertions.Expect(ide.TestId("theme-toggle")).ToHaveAttributeAsync("data-theme", "light");

        // A new tab of the same browser opens the same workspace.
        var second = await ide.Page.Context.NewPageAsync();
        await fixture.LoadIdeAsync(second, () => second.GotoAsync(fixture.Host.Address.ToString()));
        await Assertions.Expect(new IdePage(second).ExplorerItem("keep/notes.py")).ToBeVisibleAsync();
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task Reload_RightAfterTyping_TheTextIsStillThere()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.Page.WaitForFunctionAsync("() => localStorage.getItem('coderunner.v1.manifest') !== null");
        await ide.OpenAsync("python/hello.py");

        await ide.PasteAsync("print('typed a moment before the reload')\n");
        await fixture.LoadIdeAsync(ide.Page, () => ide.Page.ReloadAsync()); // before the editor's 400 ms send delay

        await ide.OpenAsync("python/hello.py");
        await Assertions.Expect(ide.Editor.Locator(".view-lines")).ToContainTextAsync("typed a moment before the reload");
        await ide.RunAsync("python/hello.py");
        await ide.WaitForOutputAsync("python/hello.py", "typed a moment before the reload");
        await ide.Page.WaitForFunctionAsync(
            "() => localStorage.getItem('coderunner.v1.file:python/hello.py').includes('a moment before')"
            + " && localStorage.getItem('coderunner.v1.draft:python/hello.py') === null");
        await ide.Page.Context.CloseAsync();
    }

    [Fact]
    public async Task ScriptFailsToLoadOnce_PageLoadsAgainByItself_AndTheIdeStarts()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = 0;
        await page.RouteAsync("**/_framework/blazor.web*.js", async route =>
        {
            if (Interlocked.Increment(ref requests) == 1)
            {
                await route.AbortAsync("internetdisconnected"); // as a network change aborts it
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await fixture.LoadIdeAsync(page, () => page.GotoAsync(fixture.Host.Address.ToString()));

        Assert.Equal(2, requests);
        await new IdePage(page).ExplorerItem("python/hello.py").WaitForAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('coderunner-load-retries')"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task ScriptNeverLoads_AfterThreeTries_SaysWhatToDo()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var requests = 0;
        await page.RouteAsync("**/_framework/blazor.web*.js", route =>
        {
            Interlocked.Increment(ref requests);
            return route.AbortAsync("internetdisconnected");
        });

        await page.GotoAsync(fixture.Host.Address.ToString());

        await Assertions.Expect(page.GetByTestId("load-problem")).ToContainTextAsync("after 3 tries. Check the connection to the server",
            new LocatorAssertionsToContainTextOptions { Timeout = 20_000 });
        Assert.Equal(4, requests);
        await Assertions.Expect(page.GetByTestId("explorer-loading")).ToBeVisibleAsync(); // not an empty project
        await context.CloseAsync();
    }

    [Fact]
    public async Task ClosePage_DuringNetworkRun_ContainersAndNetworkRemovedWithinRetention()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        await ide.TestId("network-toggle").ClickAsync();
        await ide.CreateFileAsync("wait.py");
        await ide.PasteAsync("import time\nprint('waiting', flush=True)\ntime.sleep(600)\n");
        await ide.RunAsync("wait.py");
        await ide.WaitForOutputAsync("wait.py", "waiting", 60_000);
        var network = await ide.Page.Locator(".ide").GetAttributeAsync("data-network") ?? "";
        Assert.StartsWith("coderunner-net-", network);
        var kit = await Docker.KitOfNetworkAsync(network); // labels the network's holder and containers
        Assert.NotEmpty(await Docker.KitContainersAsync(kit));
        Assert.True(await Docker.NetworkExistsAsync(network));

        await ide.Page.Context.CloseAsync();

        var deadline = IdeFixture.CircuitRetention + TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while ((await Docker.KitContainersAsync(kit)).Count > 0 || await Docker.NetworkExistsAsync(network))
        {
            Assert.True(clock.Elapsed < deadline, $"The session's containers or network were still there after {clock.Elapsed.TotalSeconds:0} s.");
            await Task.Delay(1000);
        }
    }
}
