using System.Text;
using Bunit;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Web;

/// <summary>The preview that covers the editor for images, CSV, Markdown and other binary files.</summary>
public sealed class FilePreviewTests : WebTestBase
{
    private async Task<IRenderedComponent<FilePreview>> PreviewAsync(string path, FileContent content)
    {
        await Store.LoadAsync(); // the starter project, as a first visit has it
        Store.Import([(path, content)]);
        Store.Open(path);
        return Render<FilePreview>(p => p.Add(x => x.Path, path));
    }

    private static string Kind(IRenderedComponent<FilePreview> cut) => cut.Find("[data-testid=file-preview]").GetAttribute("data-kind")!;

    [Fact]
    public async Task StarterProject_ItsReadme_OpensAsRenderedMarkdown()
    {
        await Store.LoadAsync();

        var cut = Render<FilePreview>(p => p.Add(x => x.Path, Store.ActiveFile));

        Assert.Equal(("README.md", "markdown"), (Store.ActiveFile, Kind(cut)));
        Assert.NotEmpty(cut.FindAll(".file-preview-markdown h1"));
    }

    [Fact]
    public async Task Png_ShownAsAnImageOfItsBytes()
    {
        var cut = await PreviewAsync("img/logo.png", FileContent.FromBytes(BinaryProjectTests.Png));

        Assert.Equal("image", Kind(cut));
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(BinaryProjectTests.Png), cut.Find("img").GetAttribute("src"));
    }

    [Fact]
    public async Task Svg_ShownOnlyAsAnImage_NeverAsMarkupOfThePage()
    {
        var svg = """<svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned = 1</script><circle r="4"/></svg>""";

        var cut = await PreviewAsync("icon.svg", FileContent.FromText(svg));

        Assert.Equal("image", Kind(cut));
        Assert.StartsWith("data:image/svg+xml;base64,", cut.Find("img").GetAttribute("src"));
        Assert.Empty(cut.FindAll(".file-preview-body svg, script, circle"));
    }

    [Fact]
    public async Task Csv_ShownAsATable_OfItsFirstThousandRows_AndSaysTheRestWasLeftOut()
    {
        var csv = "n,square\n" + string.Concat(Enumerable.Range(1, 1500).Select(i => $"{i},{i * i}\n"));

        var cut = await PreviewAsync("squares.csv", FileContent.FromText(csv));

        Assert.Equal("csv", Kind(cut));
        Assert.Equal(FilePreview.MaxRows, cut.FindAll("tr").Count);
        Assert.Contains("first 1,000 rows", cut.Find("[data-testid=file-preview-rows-left-out]").TextContent);
    }

    [Fact]
    public async Task Csv_Small_AllRows_NothingSaidLeftOut()
    {
        var cut = await PreviewAsync("data.csv", FileContent.FromText("name,score\nAda,\"10, of 10\"\n"));

        Assert.Equal(["name", "score", "Ada", "10, of 10"], cut.FindAll("td").Select(td => td.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=file-preview-rows-left-out]"));
    }

    [Fact]
    public async Task Markdown_RenderedWithoutItsHtmlOrScriptLinks()
    {
        var markdown = "# Notes\n\n<script>window.pwned = 1</script>\n\n[click](javascript:alert(1)) and **bold**\n";

        var cut = await PreviewAsync("notes.md", FileContent.FromText(markdown));

        Assert.Equal("markdown", Kind(cut));
        Assert.Equal("Notes", cut.Find(".file-preview-markdown h1").TextContent);
        Assert.Empty(cut.FindAll(".file-preview-markdown script"));
        Assert.DoesNotContain("javascript:", cut.Find(".file-preview-markdown a").GetAttribute("href") ?? "");
    }

    [Fact]
    public async Task Binary_ShowsItsSizeAndADownload_AndNoWayToEdit()
    {
        var cut = await PreviewAsync("data.bin", FileContent.FromBytes(new byte[2048]));

        Assert.Equal("binary", Kind(cut));
        Assert.Contains("A binary file of 2 KB", cut.Find("[data-testid=file-preview]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=file-preview-download]"));
        Assert.Empty(cut.FindAll("[data-testid=file-preview-toggle]"));
    }

    [Fact]
    public async Task Markdown_EditSource_ThenPreview_ShowsTheEditorAndComesBack()
    {
        var cut = await PreviewAsync("notes.md", FileContent.FromText("# Notes\n"));

        await cut.Find("[data-testid=file-preview-toggle]").ClickAsync(new());
        Assert.Empty(cut.FindAll("[data-testid=file-preview]"));

        Store.UpdateContent("notes.md", "# Changed\n"); // typed in the editor meanwhile
        await cut.Find("[data-testid=file-preview-toggle]").ClickAsync(new());
        cut.WaitForAssertion(() => Assert.Equal("Changed", cut.Find(".file-preview-markdown h1").TextContent));
    }

    [Fact]
    public async Task PythonFile_NoPreview_TheEditorShowsIt()
    {
        var cut = await PreviewAsync("tool.py", FileContent.FromText("print(1)\n"));

        Assert.Empty(cut.Markup.Trim());
    }

    [Fact]
    public async Task BinaryNamedLikeText_ShownAsBinary_ByItsContent()
    {
        var cut = await PreviewAsync("latin1.txt", FileContent.Detect(Encoding.Latin1.GetBytes("café\n")));

        Assert.Equal("binary", Kind(cut));
    }
}
