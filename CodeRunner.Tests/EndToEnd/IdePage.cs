using CodeRunner.Web.Components.Editor;
using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>What a student does in the IDE, through the automation contract (data-testid attributes).</summary>
public sealed class IdePage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Editor => Page.Locator($"#{CodeEditor.EditorId} .monaco-editor[role=code]");

    public ILocator TestId(string id) => Page.Locator($"[data-testid='{id}']");

    public ILocator ExplorerItem(string path) => Page.Locator($"[data-testid='explorer-item'][data-path='{path}']");

    public ILocator ConsoleTab(string path) => Page.Locator($"[data-testid='console-tab'][data-path='{path}']");

    public ILocator ConsoleOutput(string path) => Page.Locator($"[data-testid='console-output'][data-path='{path}']");

    public ILocator Verdict(string path) => ConsoleOutput(path).Locator("[data-testid='verdict']");

    public ILocator StdinInput(string path) => Page.Locator($"[data-testid='stdin-input'][data-path='{path}']");

    /// <summary>The explorer: always shown on a wide screen, a drawer on a phone.</summary>
    public ILocator Explorer => Page.Locator(".ide-explorer");

    /// <summary>On a phone: opens the explorer's drawer with the app bar's toggle (a file picked in it closes it).</summary>
    public async Task OpenExplorerDrawerAsync()
    {
        if (await TestId("explorer-drawer-toggle").GetAttributeAsync("aria-expanded") != "true")
        {
            await TestId("explorer-drawer-toggle").ClickAsync();
        }

        await Assertions.Expect(Explorer).ToBeVisibleAsync();
    }

    /// <summary>
    /// On a phone: opens the app bar's "More actions" panel, where network-toggle, theme-toggle, shortcuts-button and
    /// join-class-button (or class-badge and leave-class) are; a click on one of them closes the panel.
    /// </summary>
    public async Task OpenMoreActionsAsync()
    {
        await TestId("appbar-more").ClickAsync();
        await Assertions.Expect(Page.Locator("#ide-appbar-more")).ToBeVisibleAsync();
    }

    public async Task CreateFileAsync(string name)
    {
        await TestId("new-file-button").ClickAsync();
        await TestId("file-name-input").FillAsync(name);
        await TestId("file-name-input").PressAsync("Enter");
        // Attached, not visible: on a phone the new file closes the explorer's drawer.
        await ExplorerItem(name).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Page.Locator($"[data-testid='editor'][data-path='{name}']").WaitForAsync();
    }

    /// <summary>Replaces the active file's text by typing it key by key, as a student would.</summary>
    public async Task TypeAsync(string text)
    {
        await Editor.ClickAsync();
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.PressAsync("Delete");
        await Page.Keyboard.TypeAsync(text);
    }

    /// <summary>Replaces the active file's text in one go, as a paste would.</summary>
    public async Task PasteAsync(string text)
    {
        await Editor.ClickAsync();
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.PressAsync("Delete");
        await Page.Keyboard.InsertTextAsync(text);
    }

    public async Task OpenAsync(string path)
    {
        await ExplorerItem(path).ClickAsync();
        await Page.Locator($"[data-testid='editor'][data-path='{path}']").WaitForAsync();
    }

    /// <summary>Opens a file that shows a preview instead of the editor (an image, CSV, Markdown or binary file).</summary>
    public async Task<ILocator> OpenPreviewAsync(string path)
    {
        await ExplorerItem(path).ClickAsync();
        var preview = Page.Locator($"[data-testid='file-preview'][data-path='{path}']");
        await preview.WaitForAsync();
        return preview;
    }

    public async Task RunAsync(string path)
    {
        await TestId("run-button").ClickAsync();
        await ConsoleTab(path).WaitForAsync();
    }

    public async Task<string> WaitForVerdictAsync(string path, float timeoutMs = 60_000)
    {
        await Verdict(path).WaitForAsync(new LocatorWaitForOptions { Timeout = timeoutMs });
        return await Verdict(path).InnerTextAsync();
    }

    /// <summary>Waits until the console's rendered text contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string path, string text, float timeoutMs = 30_000) =>
        ConsoleOutput(path).Locator("[data-testid='console-line']", new LocatorLocatorOptions { HasText = text })
            .First.WaitForAsync(new LocatorWaitForOptions { Timeout = timeoutMs });
}
