using Microsoft.Playwright;

namespace CodeRunner.Tests.EndToEnd;

/// <summary>Notebooks in Chromium, against the real web host and real kernels: Docker, the Python image and IPython.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotebookBrowserTests(IdeFixture fixture) : IDisposable
{
    private const float KernelTimeout = 90_000;

    private readonly string _scratch = Directory.CreateTempSubdirectory("coderunner-e2e-").FullName;

    /// <summary>A notebook as a student gets it from a teacher: no outputs yet, and the data beside it.</summary>
    private const string Analysis = """
        {
         "cells": [
          {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": ["# Temperatures\n", "Read, *plotted* and averaged."]},
          {"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
           "source": ["import pandas as pd\n", "df = pd.read_csv('temps.csv')\n", "df"]},
          {"cell_type": "code", "execution_count": null, "id": "c2", "metadata": {}, "outputs": [],
           "source": ["import matplotlib.pyplot as plt\n", "plt.plot(df.day, df.temp)\n", "plt.title('Temperature')\n", "plt.show()"]},
          {"cell_type": "code", "execution_count": null, "id": "c3", "metadata": {}, "outputs": [],
           "source": ["print('mean', df.temp.mean())"]}
         ],
         "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
         "nbformat": 4,
         "nbformat_minor": 5
        }
        """;

    private static ILocator Cell(IdePage ide, int index) => ide.Page.Locator($"[data-testid='notebook-cell'][data-index='{index}']");

    [Fact]
    public async Task NotebookFromAZip_RunAll_ShowsTheTableAndThePlot_AndAfterAReloadStillShowsThem()
    {
        var zip = Path.Combine(_scratch, "lab.zip");
        await File.WriteAllBytesAsync(zip, ClassroomPages.Zip(("lab/analysis.ipynb", Analysis), ("lab/temps.csv", "day,temp\n1,11.5\n2,13.0\n3,9.25\n")));
        var ide = new IdePage(await fixture.OpenIdeAsync());
        try
        {
            await ide.Page.Locator("[data-input=zip]").SetInputFilesAsync(zip);
            await ide.ExplorerItem("lab/analysis.ipynb").ClickAsync();
            await ide.TestId("notebook").WaitForAsync();
            await Assertions.Expect(Cell(ide, 0).Locator("[data-testid='cell-markdown'] h1")).ToHaveTextAsync("Temperatures");

            await ide.TestId("notebook-run-all").ClickAsync();

            await Assertions.Expect(Cell(ide, 3)).ToHaveAttributeAsync("data-execution-count", "3", new() { Timeout = KernelTimeout });
            await ExpectOutputsAsync(ide);

            // The outputs were saved with the notebook: a reload shows them before anything runs again. The notebook is
            // kept half a second after the last output, then the workspace writes it: a reload within that loses the
            // last outputs (CI saw it on a busy machine), so the test waits as long as a person would.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await fixture.LoadIdeAsync(ide.Page, () => ide.Page.ReloadAsync());
            if (!await ide.TestId("notebook").IsVisibleAsync())
            {
                await ide.ExplorerItem("lab/analysis.ipynb").ClickAsync();
            }

            await ExpectOutputsAsync(ide);
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    private static async Task ExpectOutputsAsync(IdePage ide)
    {
        await Assertions.Expect(Cell(ide, 1)).ToHaveAttributeAsync("data-execution-count", "1");
        await Assertions.Expect(Cell(ide, 1).Locator("[data-mime='text/html'] table td").Last).ToHaveTextAsync("9.25");
        var plot = Cell(ide, 2).Locator("[data-mime='image/png'] img");
        await Assertions.Expect(plot).ToHaveCountAsync(1);
        Assert.True(await plot.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"), "the plot is a picture the browser can show");
        await Assertions.Expect(Cell(ide, 3).Locator("[data-output-type='stream']")).ToHaveTextAsync("mean 11.25\n");
    }

    [Fact]
    public async Task NewNotebook_ShiftEnterMovesOn_AndAnInterruptedCellLeavesTheKernelAndItsVariables()
    {
        var ide = new IdePage(await fixture.OpenIdeAsync());
        try
        {
            await ide.CreateFileAsync("loop.ipynb");
            await ide.TestId("notebook").WaitForAsync();

            await Cell(ide, 0).Locator("[data-testid='cell-source']").FillAsync("n = 5\nn * 2");
            await Cell(ide, 0).Locator("[data-testid='cell-source']").PressAsync("Shift+Enter");
            await Assertions.Expect(Cell(ide, 0).Locator("[data-output-type='execute_result']")).ToHaveTextAsync("10", new() { Timeout = KernelTimeout });
            await Assertions.Expect(Cell(ide, 1).Locator("[data-testid='cell-source']")).ToBeFocusedAsync(); // Shift+Enter moved on, to a new cell

            await Cell(ide, 1).Locator("[data-testid='cell-source']").FillAsync("import time\nprint('looping', flush=True)\nwhile True:\n    time.sleep(0.05)");
            await Cell(ide, 1).Locator("[data-testid='cell-source']").PressAsync("Shift+Enter");
            await Assertions.Expect(Cell(ide, 1).Locator("[data-output-type='stream']")).ToHaveTextAsync("looping\n", new() { Timeout = KernelTimeout });
            await ide.TestId("notebook-interrupt").ClickAsync();

            await Assertions.Expect(Cell(ide, 1).Locator("[data-output-type='error']")).ToContainTextAsync("KeyboardInterrupt");
            await Assertions.Expect(Cell(ide, 1)).ToHaveAttributeAsync("data-execution-count", "2");
            await Cell(ide, 2).Locator("[data-testid='cell-source']").FillAsync("print(n + 1)");
            await Cell(ide, 2).Locator("[data-testid='cell-source']").PressAsync("Control+Enter"); // runs the cell, not the page's Run
            await Assertions.Expect(Cell(ide, 2).Locator("[data-output-type='stream']")).ToHaveTextAsync("6\n", new() { Timeout = KernelTimeout });
            await Assertions.Expect(Cell(ide, 2)).ToHaveAttributeAsync("data-execution-count", "3");
            await Assertions.Expect(ide.Page.Locator("[data-testid='notebook-cell']")).ToHaveCountAsync(3); // Ctrl+Enter stays: no new cell
            await Assertions.Expect(ide.Page.Locator("[data-testid='console-tab']")).ToHaveCountAsync(0); // nothing ran as a program
        }
        finally
        {
            await ide.Page.Context.CloseAsync();
        }
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
