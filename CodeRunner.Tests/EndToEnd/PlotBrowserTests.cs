using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>Plots in the console, in Chromium: each plt.show() is an image among the text, and opens at full size.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PlotBrowserTests(IdeFixture fixture)
{
    [Fact]
    public async Task AScriptWithTwoShows_ShowsTwoImagesInItsConsole_AndOneOpensWithASaveLink()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        try
        {
            await ide.CreateFileAsync("plots.py");
            await ide.PasteAsync(
                "import matplotlib.pyplot as plt\nprint('first plot')\nplt.plot([1, 4, 9])\nplt.show()\n" +
                "print('second plot')\nplt.bar(['a', 'b'], [3, 5])\nplt.show()\nprint('done')\n");

            await ide.RunAsync("plots.py");

            Assert.Contains("exit code 0", await ide.WaitForVerdictAsync("plots.py"));
            var images = ide.ConsoleOutput("plots.py").Locator("[data-testid='console-image']");
            await Assertions.Expect(images).ToHaveCountAsync(2);
            Assert.All(await images.EvaluateAllAsync<bool[]>("els => els.map(e => e.complete && e.naturalWidth > 0)"), Assert.True);

            await images.First.ClickAsync();
            var save = ide.TestId("console-image-dialog").Locator("[data-testid='console-image-save']");
            await Assertions.Expect(save).ToHaveAttributeAsync("download", new System.Text.RegularExpressions.Regex(@"\.png$"));
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }
}
