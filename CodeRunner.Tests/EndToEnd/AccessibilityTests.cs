using CodeRunner.Web.Components.Editor;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>axe-core's WCAG 2 A and AA rules (accessible names, contrast, ARIA) over the IDE in both themes, and on a phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(IdeFixture fixture)
{
    [Theory]
    [InlineData("dark")]
    [InlineData("light")]
    public async Task Ide_WithConsoleOutput_NoWcagViolations(string theme)
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        if (theme == "light")
        {
            await ide.TestId("theme-toggle").ClickAsync();
            await ide.Page.Locator(".ide-light").WaitForAsync();
        }

        // While a program waits for input (Stop and the input line enabled), then with its verdict.
        await ide.OpenAsync("python/ask_name.py");
        await ide.RunAsync("python/ask_name.py");
        await ide.WaitForOutputAsync("python/ask_name.py", "What is your name?");
        var violations = await ViolationsAsync(ide);
        await ide.StdinInput("python/ask_name.py").FillAsync("Grace");
        await ide.StdinInput("python/ask_name.py").PressAsync("Enter");
        await ide.WaitForVerdictAsync("python/ask_name.py");
        violations.AddRange(await ViolationsAsync(ide));

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        await ide.Page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ide_OnAPhone_NoWcagViolations(bool drawerOpen)
    {
        var ide = new IdePage(await fixture.OpenPhoneIdeAsync());
        try
        {
            await ide.OpenExplorerDrawerAsync();
            await ide.OpenAsync("python/ask_name.py"); // closes the drawer
            await ide.RunAsync("python/ask_name.py");
            await ide.WaitForOutputAsync("python/ask_name.py", "What is your name?");
            if (drawerOpen)
            {
                await ide.OpenExplorerDrawerAsync();
            }

            var violations = await ViolationsAsync(ide);
            if (!drawerOpen)
            {
                await ide.OpenMoreActionsAsync(); // the app bar's panel too
                violations.AddRange(await ViolationsAsync(ide, moveMouse: false));
            }

            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    private static async Task<List<string>> ViolationsAsync(IdePage ide, bool moveMouse = true)
    {
        if (moveMouse)
        {
            await ide.Page.Mouse.MoveAsync(0, 400); // no tooltip open
        }

        // Monaco's own DOM is excluded: its accessibility is Monaco's (it offers a screen reader mode with Alt+F1).
        var context = new AxeRunContext { Exclude = [new AxeSelector($"#{CodeEditor.EditorId}")] };
        var options = new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } };
        var result = await ide.Page.RunAxe(context, options);
        return result.Violations
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(5).Select(n => n.Target?.ToString()))}")
            .ToList();
    }
}
