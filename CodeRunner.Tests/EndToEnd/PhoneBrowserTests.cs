using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>The IDE on a phone (390 × 844, touch): the explorer as a drawer, editor above console, and the stdin line.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PhoneBrowserTests(IdeFixture fixture)
{
    [Fact]
    public async Task Phone_PromptAnsweredThroughStdinLine_OutputVerdictAndScreenshot()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            await Assertions.Expect(ide.Explorer).ToBeHiddenAsync();
            await ide.OpenExplorerDrawerAsync();
            await ide.CreateFileAsync("greet.py");
            await Assertions.Expect(ide.Explorer).ToBeHiddenAsync(); // making the file closed the drawer
            await ide.TypeAsync("name = input(\"Your name? \")\nprint(\"Hello, \" + name + \"!\")\n");

            await ide.RunAsync("greet.py");
            await ide.WaitForOutputAsync("greet.py", "Your name? ");
            var stdin = ide.StdinInput("greet.py");
            await stdin.TapAsync();
            await stdin.FillAsync("Ada");
            await stdin.PressAsync("Enter");

            await ide.WaitForOutputAsync("greet.py", "Hello, Ada!");
            Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("greet.py"));
            await ide.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(IdeFixture.ScreenshotFolder(), "ide-phone.png") });
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Phone_Layout_EditorAboveConsoleAndNothingWiderThanTheScreen()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            await ide.OpenExplorerDrawerAsync();
            await ide.OpenAsync("python/ask_name.py");
            await ide.RunAsync("python/ask_name.py");
            await ide.WaitForOutputAsync("python/ask_name.py", "What is your name?");

            var editor = await BoxAsync(ide.Page.Locator("#code-editor"));
            var console = await BoxAsync(ide.Page.Locator(".ide-consoles"));
            Assert.True(editor.Y + editor.Height <= console.Y + 1, $"The editor (y {editor.Y}, height {editor.Height}) is not above the console (y {console.Y}).");
            Assert.InRange(console.Width, IdeFixture.PhoneWidth - 2, IdeFixture.PhoneWidth);
            Assert.InRange(editor.Width, IdeFixture.PhoneWidth - 2, IdeFixture.PhoneWidth);
            var stdin = await BoxAsync(ide.StdinInput("python/ask_name.py"));
            Assert.True(stdin.Y + stdin.Height <= IdeFixture.PhoneHeight, $"The input line ends at {stdin.Y + stdin.Height}, below the screen.");
            Assert.True(await ide.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= IdeFixture.PhoneWidth);
            Assert.Empty(await ide.Page.EvaluateAsync<string[]>(OutsideTheScreen)); // clipped controls do not widen the page
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    /// <summary>The app bar's and the consoles' controls that are shown but end past the right edge of the screen.</summary>
    private const string OutsideTheScreen = """
        () => [...document.querySelectorAll(".ide-appbar button, .ide-appbar a, .ide-appbar .class-badge, .ide-consoles button, .ide-consoles input")]
            .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(e => `${e.dataset.testid ?? e.className} ends at ${Math.round(e.getBoundingClientRect().right)}`)
        """;

    [Fact]
    public async Task Phone_ViewportShrunkAsByAKeyboard_FocusedStdinLineStaysInView()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            Assert.Contains("interactive-widget=resizes-content",
                await ide.Page.Locator("meta[name=viewport]").GetAttributeAsync("content") ?? "");
            await ide.OpenExplorerDrawerAsync();
            await ide.OpenAsync("python/ask_name.py");
            await ide.RunAsync("python/ask_name.py");
            await ide.WaitForOutputAsync("python/ask_name.py", "What is your name?");
            var stdin = ide.StdinInput("python/ask_name.py");
            await stdin.TapAsync();

            // What an on-screen keyboard leaves of the screen: the page follows the visual viewport's height.
            const int visible = 480;
            await ide.Page.SetViewportSizeAsync(IdeFixture.PhoneWidth, visible);
            await Assertions.Expect(ide.Page.Locator(".ide")).ToHaveCSSAsync("height", $"{visible}px");
            var box = await BoxAsync(stdin);
            Assert.True(box.Y >= 0 && box.Y + box.Height <= visible, $"The input line is at {box.Y}..{box.Y + box.Height}, outside 0..{visible}.");
            await Assertions.Expect(stdin).ToBeFocusedAsync();
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Phone_ExplorerDrawer_ClosesOnAFileEscapeAndATapOutside()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            var toggle = ide.TestId("explorer-drawer-toggle");
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(toggle).ToHaveAccessibleNameAsync("Project files");

            await ide.OpenExplorerDrawerAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
            await ide.Page.WaitForFunctionAsync( // the focus moves into the drawer
                "() => document.activeElement?.closest('.ide-explorer') != null", null, new PageWaitForFunctionOptions { Timeout = 5_000 });
            await ide.ExplorerItem("python/hello.py").FocusAsync();
            await ide.Page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(ide.Explorer).ToBeHiddenAsync();
            await Assertions.Expect(toggle).ToBeFocusedAsync();

            await ide.OpenExplorerDrawerAsync();
            await ide.Page.Touchscreen.TapAsync(IdeFixture.PhoneWidth - 20, IdeFixture.PhoneHeight / 2); // beside the drawer
            await Assertions.Expect(ide.Explorer).ToBeHiddenAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");

            await ide.OpenExplorerDrawerAsync();
            await ide.ExplorerItem("python/hello.py").TapAsync();
            await Assertions.Expect(ide.Explorer).ToBeHiddenAsync();
            await Assertions.Expect(ide.Page.Locator("[data-testid='editor'][data-path='python/hello.py']")).ToBeVisibleAsync();
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Phone_MoreActions_HoldTheThemeToggleAndCloseAfterIt()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            await Assertions.Expect(ide.TestId("run-button")).ToBeVisibleAsync();
            await Assertions.Expect(ide.TestId("stop-button")).ToBeVisibleAsync();
            await Assertions.Expect(ide.TestId("theme-toggle")).ToBeHiddenAsync();

            await ide.OpenMoreActionsAsync();
            await Assertions.Expect(ide.TestId("network-toggle")).ToBeVisibleAsync();
            await Assertions.Expect(ide.TestId("shortcuts-button")).ToBeVisibleAsync();
            await Assertions.Expect(ide.TestId("join-class-button")).ToBeVisibleAsync();
            await ide.TestId("theme-toggle").TapAsync();

            await ide.Page.Locator(".ide-light").WaitForAsync();
            await Assertions.Expect(ide.TestId("theme-toggle")).ToBeHiddenAsync();
            await Assertions.Expect(ide.TestId("appbar-more")).ToHaveAttributeAsync("aria-expanded", "false");
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Phone_Splitter_DraggedByTouchAndMovedByArrowKeys_ResizesTheConsole()
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            var splitter = ide.Page.Locator("[data-splitter]");
            var consoles = ide.Page.Locator(".ide-consoles");
            await Assertions.Expect(splitter).ToHaveAttributeAsync("role", "separator");
            await Assertions.Expect(splitter).ToHaveAttributeAsync("aria-orientation", "horizontal");
            var before = (await BoxAsync(consoles)).Height;
            var handle = await BoxAsync(splitter);

            // A finger on the handle, moved 150 px up: touch events, which the page sees as pointer events.
            var cdp = await ide.Page.Context.NewCDPSessionAsync(ide.Page);
            var x = handle.X + handle.Width / 2;
            var y = handle.Y + handle.Height / 2;
            await TouchAsync(cdp, "touchStart", x, y);
            for (var step = 1; step <= 5; step++)
            {
                await TouchAsync(cdp, "touchMove", x, y - step * 30);
            }

            await TouchAsync(cdp, "touchEnd", x, y - 150);
            var dragged = (await BoxAsync(consoles)).Height;
            Assert.InRange(dragged, before + 120, before + 180);
            Assert.Equal(Math.Round(dragged), double.Parse(await splitter.GetAttributeAsync("aria-valuenow") ?? "0"), 1.0);

            await splitter.FocusAsync();
            await ide.Page.Keyboard.PressAsync("ArrowDown");
            Assert.InRange((await BoxAsync(consoles)).Height, dragged - 30, dragged - 18);
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException($"{locator} has no box: it is not shown.");

    private static Task TouchAsync(ICDPSession cdp, string type, float x, float y) =>
        cdp.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y } },
        });
}
