using CodeRunner.Engine.Notebooks;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Notebooks;

namespace CodeRunner.Tests.Notebooks;

/// <summary>
/// A notebook saved here opens in Jupyter: Jupyter's own nbformat library (Debian's python3-nbformat, in the Python
/// image) reads and validates what this project writes, in a real run.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class NotebookJupyterTests(EngineFixture fixture)
{
    private const string Check = """
        import nbformat
        for name in ['edited.ipynb', 'new.ipynb']:
            nb = nbformat.read(name, as_version=nbformat.NO_CONVERT)
            nbformat.validate(nb)
            print(name, nb.nbformat, nb.nbformat_minor, len(nb.cells), [c.cell_type for c in nb.cells])
        nb = nbformat.read('edited.ipynb', as_version=4)
        print(repr(nb.cells[1].source), nb.cells[1].outputs[0].text, nb.cells[4].outputs[0].data['image/png'][:8])
        """;

    [Fact]
    public async Task SavedHere_JupyterReadsAndValidatesIt()
    {
        var edited = NotebookDocument.Parse(NotebookDocumentTests.JupyterMade);
        var added = new NotebookCell(NotebookCellType.Code, "x = 'é'\nprint(x)") { ExecutionCount = 1 };
        added.Outputs.Add(new NotebookOutput(new StreamOutput("stdout", "é\n")));
        edited.Cells.Insert(1, added);
        edited.Cells.Add(new NotebookCell(NotebookCellType.Markdown, "## The end"));

        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("check.py", Check, others: [("edited.ipynb", edited.Serialize()), ("new.ipynb", NotebookDocument.New().Serialize())]);

        Assert.True(result.Verdict.ExitCode == 0, result.ToString());
        Assert.Equal(
            "edited.ipynb 4 5 10 ['markdown', 'code', 'code', 'code', 'code', 'code', 'code', 'raw', 'code', 'markdown']\n"
            + "new.ipynb 4 5 1 ['code']\n"
            + "\"x = 'é'\\nprint(x)\" é\n iVBORw0K\n",
            result.Stdout);
    }
}
