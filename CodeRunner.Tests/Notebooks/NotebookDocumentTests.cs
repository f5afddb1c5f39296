using System.Text.Json.Nodes;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Web.Notebooks;

namespace CodeRunner.Tests.Notebooks;

/// <summary>nbformat 4 read and written: Jupyter's own notebooks come back as Jupyter wrote them, and bad files say what is wrong.</summary>
public sealed class NotebookDocumentTests
{
    internal static string JupyterMade => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notebooks", "jupyter-made.ipynb"));

    [Fact]
    public void JupyterNotebook_ReadsEveryKindOfCellAndOutput()
    {
        var notebook = NotebookDocument.Parse(JupyterMade);

        Assert.Equal(
            [NotebookCellType.Markdown, NotebookCellType.Code, NotebookCellType.Code, NotebookCellType.Code, NotebookCellType.Code,
             NotebookCellType.Code, NotebookCellType.Raw, NotebookCellType.Code],
            notebook.Cells.Select(c => c.Type));
        Assert.StartsWith("# Temperatures\nA **small** data set", notebook.Cells[0].Source);

        var table = Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[1].Outputs).Content);
        Assert.Equal(1, table.ExecutionCount);
        Assert.Contains("<table border=\"1\" class=\"dataframe\">", table.Data["text/html"]);
        Assert.Contains("2    3   9.25", table.Data["text/plain"]);

        Assert.Equal([new StreamOutput("stdout", "mean 11.25\n"), new StreamOutput("stderr", "careful\n")],
            notebook.Cells[2].Outputs.Select(o => o.Content));

        var figure = Assert.IsType<DisplayOutput>(Assert.Single(notebook.Cells[3].Outputs).Content);
        Assert.False(figure.IsResult);
        var png = Convert.FromBase64String(figure.Data["image/png"]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);

        var error = Assert.IsType<ErrorOutput>(notebook.Cells[4].Outputs[^1].Content);
        Assert.Equal(("ZeroDivisionError", "division by zero"), (error.Name, error.Value));
        Assert.Contains(error.Traceback, line => line.Contains("\u001b[0;31mZeroDivisionError\u001b[0m"));
        Assert.Equal("**bold** result", ((DisplayOutput)notebook.Cells[4].Outputs[0].Content).Data["text/markdown"]);

        Assert.Equal("'é and ü and 漢字 survive'", ((DisplayOutput)notebook.Cells[5].Outputs[0].Content).Data["text/plain"]);
        Assert.Equal(5, notebook.Cells[5].ExecutionCount);
        Assert.Equal("raw text stays as it is", notebook.Cells[6].Source);
        Assert.Equal((6, 0), (notebook.Cells[7].ExecutionCount, notebook.Cells[7].Outputs.Count));
    }

    [Fact]
    public void JupyterNotebook_SavedUnchanged_IsTheSameJsonJupyterWrote()
    {
        var saved = NotebookDocument.Parse(JupyterMade).Serialize();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JupyterMade), JsonNode.Parse(saved)), Difference(JupyterMade, saved));
        Assert.EndsWith("}\n", saved);
        Assert.Contains("\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",", saved); // Jupyter's layout: one-space indents, keys sorted
        Assert.Contains("漢字", saved); // written as it is, as Jupyter writes it, not as \u escapes
    }

    [Fact]
    public void JupyterNotebook_EditedAndRunHere_KeepsWhatThisPageDoesNotKnow()
    {
        var notebook = NotebookDocument.Parse(JupyterMade);
        notebook.Cells[2].Source = "print('changed')";
        notebook.Cells[2].Outputs.Clear();
        notebook.Cells[2].Outputs.Add(new NotebookOutput(new StreamOutput("stdout", "changed\nand more\n")));
        notebook.Cells[2].ExecutionCount = 9;
        notebook.Cells.Insert(1, new NotebookCell(NotebookCellType.Code, "x = 1"));

        var json = JsonNode.Parse(notebook.Serialize())!;

        var cells = json["cells"]!.AsArray();
        Assert.Equal(9, cells.Count);
        Assert.Equal("python3", json["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal(16, cells[1]!["id"]!.GetValue<string>().Length);
        Assert.Equal(JsonNode.Parse("""["changed\n", "and more\n"]"""), cells[3]!["outputs"]![0]!["text"], JsonNode.DeepEquals);
        Assert.Equal(9, cells[3]!["execution_count"]!.GetValue<int>());
        Assert.NotNull(cells[3]!["metadata"]!["execution"]); // Jupyter's timing metadata stays with its cell
        Assert.Equal(JsonNode.Parse(JupyterMade)!["cells"]![3], cells[4], JsonNode.DeepEquals); // the plot cell, untouched
    }

    [Fact]
    public void NewNotebook_IsNbformat45WithOneCodeCell()
    {
        var json = JsonNode.Parse(NotebookDocument.New().Serialize())!;

        Assert.Equal(4, json["nbformat"]!.GetValue<int>());
        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        var cell = Assert.Single(json["cells"]!.AsArray())!;
        Assert.Equal("code", cell["cell_type"]!.GetValue<string>());
        Assert.Null(cell["execution_count"]);
        Assert.Empty(cell["outputs"]!.AsArray());
        Assert.Empty(cell["source"]!.AsArray());
    }

    [Fact]
    public void OlderMinorVersionWithoutIds_GetsIdsAndVersion45()
    {
        var notebook = NotebookDocument.Parse("""
            {"nbformat": 4, "nbformat_minor": 2, "metadata": {},
             "cells": [{"cell_type": "code", "metadata": {}, "source": "print(1)", "execution_count": null, "outputs": []}]}
            """);

        var json = JsonNode.Parse(notebook.Serialize())!;

        Assert.Equal(5, json["nbformat_minor"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{16}$", json["cells"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("print(1)", notebook.Cells[0].Source);
    }

    [Theory]
    [InlineData("{\"cells\": [", "The notebook is not valid JSON (line 1")]
    [InlineData("[1, 2]", "The notebook is not a JSON object")]
    [InlineData("{\"cells\": []}", "no 'nbformat' version")]
    [InlineData("{\"nbformat\": 3, \"worksheets\": []}", "nbformat 3; only version 4 opens here")]
    [InlineData("{\"nbformat\": 4, \"nbformat_minor\": 5}", "no 'cells' list")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"source\": \"\"}]}", "Cell 1 has no 'cell_type'")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\"}, {\"cell_type\": \"sql\", \"source\": \"\"}]}", "Cell 2 has the unknown type 'sql'")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 7}]}", "Cell 1 has no 'source' text")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [{\"output_type\": \"video\"}]}]}", "Output 1 of cell 1 has the unknown type 'video'")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [{\"output_type\": \"display_data\", \"data\": {\"image/png\": 5}}]}]}", "holds 'image/png' that is not text")]
    public void MalformedNotebook_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<NotebookFormatException>(() => NotebookDocument.Parse(json));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void JsonMimeType_KeptAsJsonNotAsText()
    {
        var notebook = NotebookDocument.Parse("""
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "a", "metadata": {},
              "source": "", "execution_count": 1, "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
              "data": {"application/json": {"a": [1, 2]}, "text/plain": "{'a': [1, 2]}"}}]}]}
            """);

        var data = JsonNode.Parse(notebook.Serialize())!["cells"]![0]!["outputs"]![0]!["data"]!;

        Assert.Equal(JsonNode.Parse("""{"a": [1, 2]}"""), data["application/json"], JsonNode.DeepEquals);
    }

    private static string Difference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i]);
        return $"first difference at line {line + 1}:\n  Jupyter: {a.ElementAtOrDefault(line)}\n  here:    {b.ElementAtOrDefault(line)}";
    }
}
