using System.Text.Json.Nodes;
using Bunit;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Tests.Web;
using CodeRunner.Web.Components.Notebook;
using CodeRunner.Web.Notebooks;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Notebooks;

/// <summary>The notebook view, driven through its data-testids, with a kernel the test answers for.</summary>
public sealed class NotebookViewTests : WebTestBase
{
    private const string Path = "analysis/temps.ipynb";

    /// <summary>The IDE's starter project with a notebook added to it, open in a tab, as a student has it.</summary>
    private async Task<IRenderedComponent<NotebookView>> OpenAsync(string notebook)
    {
        await LoadProjectAsync([.. Starter.Files, (Path, notebook)]);
        Store.Open(Path);
        return Render<NotebookView>(p => p.Add(v => v.Path, Path));
    }

    private FakeKernel Kernel => Assert.Single(EngineSession.Kernels);

    private JsonNode Saved => JsonNode.Parse(Store.Project.Files[Path])!;

    [Fact]
    public async Task JupyterNotebook_ShowsItsCellsAndOutputsBeforeAnythingRuns()
    {
        var cut = await OpenAsync(NotebookDocumentTests.JupyterMade);

        var cells = cut.FindAll("[data-testid=notebook-cell]");
        Assert.Equal(["markdown", "code", "code", "code", "code", "code", "raw", "code"], cells.Select(c => c.GetAttribute("data-cell-type")));
        Assert.Equal(["", "1", "2", "3", "4", "5", "", "6"], cells.Select(c => c.GetAttribute("data-execution-count") ?? ""));
        Assert.Equal("Temperatures", cells[0].QuerySelector("[data-testid=cell-markdown] h1")!.TextContent);
        Assert.NotNull(cells[1].QuerySelector("[data-mime='text/html'] table"));
        Assert.StartsWith("data:image/png;base64,iVBOR", cells[3].QuerySelector("[data-mime='image/png'] img")!.GetAttribute("src"));
        Assert.Equal(["stdout", "stderr"], cells[2].QuerySelectorAll("[data-output-type=stream]").Select(o => o.GetAttribute("data-name")));
        var error = cells[4].QuerySelector("[data-output-type=error]")!;
        Assert.Contains("ZeroDivisionError: division by zero", error.TextContent);
        Assert.DoesNotContain("\u001b", error.TextContent); // ANSI colours shown as colours, not as escapes
        Assert.Equal("[4]", cells[4].QuerySelector(".notebook-prompt")!.TextContent);
        Assert.Equal(Path, Kernel.Request.NotebookPath); // the kernel starts as the notebook opens
    }

    [Fact]
    public async Task RunCell_StreamsOutputsAndSavesThemWithTheCount()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        cut.Find("[data-testid=cell-source]").Input("x = 41\nprint(x)\nx + 1");

        await cut.Find("[data-testid=cell-run]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Equal("queued", cut.Find("[data-testid=notebook-cell]").GetAttribute("data-state")));
        Assert.Equal("x = 41\nprint(x)\nx + 1", Assert.Single(Kernel.Executions).Code);
        Assert.Equal("[*]", cut.Find(".notebook-prompt").TextContent);
        await cut.InvokeAsync(() => Kernel.FinishNextAsync(
            new StreamOutput("stdout", "4"), new StreamOutput("stdout", "1\n"),
            new DisplayOutput(new Dictionary<string, string> { ["text/plain"] = "42" }, 1)));

        cut.WaitForAssertion(() =>
        {
            var cell = cut.Find("[data-testid=notebook-cell]");
            Assert.Equal("1", cell.GetAttribute("data-execution-count"));
            Assert.Equal(["41\n", "42"], cell.QuerySelectorAll("[data-testid=notebook-output]").Select(o => o.TextContent));
        });
        var saved = Saved["cells"]![0]!;
        Assert.Equal(1, saved["execution_count"]!.GetValue<int>());
        Assert.Equal("execute_result", saved["outputs"]![1]!["output_type"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse("""["x = 41\n", "print(x)\n", "x + 1"]"""), saved["source"], JsonNode.DeepEquals);
    }

    [Fact]
    public async Task RunAll_RunsInOrder_AndStopsAtTheFirstError()
    {
        var notebook = NotebookDocument.New();
        notebook.Cells[0].Source = "a = 1";
        notebook.Cells.Add(new NotebookCell(NotebookCellType.Markdown, "# Notes"));
        notebook.Cells.Add(new NotebookCell(NotebookCellType.Code, "1/0"));
        notebook.Cells.Add(new NotebookCell(NotebookCellType.Code, "print(a)"));
        var cut = await OpenAsync(notebook.Serialize());

        await cut.Find("[data-testid=notebook-run-all]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Single(Kernel.Executions));
        Assert.Equal(["queued", "none", "queued", "queued"], cut.FindAll("[data-testid=notebook-cell]").Select(c => c.GetAttribute("data-state")));
        await cut.InvokeAsync(() => Kernel.FinishNextAsync());
        cut.WaitForAssertion(() => Assert.Equal(2, Kernel.Executions.Count));
        await cut.InvokeAsync(() => Kernel.FinishNextAsync(new ErrorOutput("ZeroDivisionError", "division by zero", ["ZeroDivisionError: division by zero"])));

        cut.WaitForAssertion(() =>
            Assert.Equal(["none", "none", "none", "none"], cut.FindAll("[data-testid=notebook-cell]").Select(c => c.GetAttribute("data-state"))));
        Assert.Equal(["a = 1", "1/0"], Kernel.Executions.Select(e => e.Code)); // print(a) never went to the kernel
        Assert.Equal(["1", "", "2", ""], cut.FindAll("[data-testid=notebook-cell]").Select(c => c.GetAttribute("data-execution-count") ?? ""));
    }

    [Fact]
    public async Task Input_AsksInTheCell_AndTheAnswerGoesToTheKernel()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        await cut.Find("[data-testid=cell-run]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Single(Kernel.Executions));

        await cut.InvokeAsync(() => Kernel.Executions[0].Output(new InputRequest("Your name? ", false)).AsTask());
        cut.WaitForAssertion(() => cut.Find("[data-testid=notebook-input]"));
        cut.Find("[data-testid=notebook-input]").Change("Ada");
        await cut.Find("form.notebook-input").SubmitAsync();

        Assert.Equal(["Ada"], Kernel.Inputs);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=notebook-input]")));
        Assert.Equal("Ada\n", cut.Find("[data-output-type=stream]").TextContent);
    }

    [Fact]
    public async Task InterruptAndRestart_GoToTheKernel()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        await cut.Find("[data-testid=cell-run]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=notebook-interrupt]").HasAttribute("disabled")));

        await cut.Find("[data-testid=notebook-interrupt]").ClickAsync(new());
        await cut.Find("[data-testid=notebook-restart]").ClickAsync(new());

        Assert.Equal((1, 1), (Kernel.Interrupts, Kernel.Restarts));
    }

    [Fact]
    public async Task KernelDies_TheCellSaysSo_AndTheNotebookSaysTheNextRunStartsANewOne()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        await cut.Find("[data-testid=cell-run]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Single(Kernel.Executions));

        await cut.InvokeAsync(() => Kernel.Die("Python stopped: it used more than its 256 MB of memory."));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Python stopped: it used more than its 256 MB of memory.", cut.Find("[data-testid=cell-note]").TextContent);
            Assert.Contains("The next cell you run starts a new one.", cut.Find("[data-testid=notebook-kernel-problem]").TextContent);
            Assert.Equal("dead", cut.Find("[data-testid=notebook]").GetAttribute("data-kernel-state"));
        });
    }

    [Fact]
    public async Task KernelRefused_TheNotebookSaysWhy_AndARunTriesAgain()
    {
        EngineSession.ThrowOnKernel = new CodeRunner.Engine.Runs.KernelLimitException("3 notebooks are open with their Python, the most one person may have (3): close the tab of one you are done with.");
        var cut = await OpenAsync(NotebookDocument.New().Serialize());

        Assert.Equal("dead", cut.Find("[data-testid=notebook]").GetAttribute("data-kernel-state"));
        Assert.Contains("The notebook's Python could not start: 3 notebooks are open", cut.Find("[data-testid=notebook-kernel-problem]").TextContent);

        EngineSession.ThrowOnKernel = null;
        await cut.Find("[data-testid=cell-run]").ClickAsync(new());

        cut.WaitForAssertion(() => Assert.Single(Kernel.Executions));
        Assert.Empty(cut.FindAll("[data-testid=notebook-kernel-problem]"));
    }

    [Fact]
    public async Task EditingCells_AddMoveRetypeDelete_AreSaved()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        cut.Find("[data-testid=cell-source]").Input("first");

        await cut.Find("[data-testid=cell-add-markdown]").ClickAsync(new());
        cut.FindAll("[data-testid=cell-source]")[1].Input("# Title");
        await cut.FindAll("[data-testid=cell-move-up]")[1].ClickAsync(new());
        await cut.FindAll("[data-testid=cell-add]")[0].ClickAsync(new()); // below the first cell
        cut.FindAll("[data-testid=cell-type]")[2].Change("raw");
        await WaitUntilAsync(() => Saved["cells"]!.AsArray().Count == 3 && Saved["cells"]![2]!["cell_type"]!.GetValue<string>() == "raw", "the edits are saved");

        Assert.Equal(["markdown", "code", "raw"], Saved["cells"]!.AsArray().Select(c => c!["cell_type"]!.GetValue<string>()));
        Assert.Equal("# Title", string.Concat(Saved["cells"]![0]!["source"]!.AsArray().Select(l => l!.GetValue<string>())));
        Assert.Null(Saved["cells"]![2]!["outputs"]); // a raw cell has no outputs in nbformat

        await cut.FindAll("[data-testid=cell-delete]")[1].ClickAsync(new());
        Assert.Equal(["markdown", "raw"], Saved["cells"]!.AsArray().Select(c => c!["cell_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task HtmlOutput_TablesShow_ScriptsAndHandlersNever()
    {
        var html = "<table class=\"dataframe\"><tr><td onclick=\"steal()\">1</td></tr></table><script>steal()</script>"
            + "<img src=\"x\" onerror=\"steal()\"><a href=\"javascript:steal()\">x</a><a href=\"data:text/html,<script>steal()</script>\">y</a>"
            + "<style>body { display: none }</style><iframe src=\"https://example.org\"></iframe><form action=\"/x\"><input name=\"p\"></form>";
        var notebook = NotebookDocument.New();
        notebook.Cells[0].Outputs.Add(new NotebookOutput(new DisplayOutput(new Dictionary<string, string> { ["text/html"] = html })));
        var cut = await OpenAsync(notebook.Serialize());

        var shown = cut.Find("[data-mime='text/html']");

        Assert.Equal("1", shown.QuerySelector("table.dataframe td")!.TextContent);
        Assert.DoesNotContain("steal", shown.InnerHtml);
        Assert.Empty(shown.QuerySelectorAll("script, style, iframe, form, input"));
    }

    [Fact]
    public async Task MalformedNotebook_SaysWhatIsWrong_AndIsNeverOverwritten()
    {
        const string broken = "{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"x\"},";
        var cut = await OpenAsync(broken);

        Assert.Contains("The notebook is not valid JSON (line 1", cut.Find("[data-testid=notebook-problem]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=notebook-cell]"));
        Assert.True(cut.Find("[data-testid=notebook-run-all]").HasAttribute("disabled"));
        Assert.Empty(EngineSession.Kernels); // nothing to run: no kernel
        cut.Dispose();
        await Store.SaveAsync();
        Assert.Equal(broken, Store.Project.Files[Path]);
    }

    [Fact]
    public async Task NewEmptyFile_OpensAsANotebookWithOneCodeCell_SavedAsNbformat()
    {
        var cut = await OpenAsync("");

        Assert.Equal("code", cut.Find("[data-testid=notebook-cell]").GetAttribute("data-cell-type"));
        Assert.Equal(4, Saved["nbformat"]!.GetValue<int>());
    }

    [Fact]
    public async Task ClosingTheTab_ClosesTheKernel()
    {
        var cut = await OpenAsync(NotebookDocument.New().Serialize());
        Assert.False(Kernel.Disposed);

        await cut.InvokeAsync(() => Store.CloseTab(Path));

        await WaitUntilAsync(() => Kernel.Disposed, "the kernel is closed");
    }
}
