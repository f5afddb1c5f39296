using System.Text;
using Bunit;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Console;

namespace CodeRunner.Tests.Web;

/// <summary>The files a run wrote, under its verdict: listed with previews and downloads, and kept in the project with one click.</summary>
public sealed class OutputFileViewTests : WebTestBase
{
    private static readonly OutputFile Csv = new("results.csv", Encoding.UTF8.GetBytes("x,y\n1,\"a, b\"\n"));
    private static readonly OutputFile Png = new("out.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]);
    private static readonly OutputFile Data = new("data.bin", [0x00, 0x01, 0xFE]);

    private async Task<IRenderedComponent<ConsolePanel>> FinishedRunAsync(RunVerdict verdict, params (string Path, string Text)[] project)
    {
        await LoadProjectAsync([("main.py", "print(1)"), .. project]);
        await Consoles.StartAsync("main.py");
        RenderProviders();
        var cut = Render<ConsolePanel>();
        EngineSession.RunOf("main.py").Finish(verdict);
        cut.WaitForAssertion(() => cut.Find("[data-testid=verdict]"));
        return cut;
    }

    /// <summary>
    /// Clicks Keep, finding the button on the renderer's dispatcher: the list renders again as it settles, and a button
    /// found just before such a render has lost its handler by the click (CI saw "no event handler with ID '12'").
    /// </summary>
    private static Task KeepAsync(IRenderedComponent<ConsolePanel> cut) =>
        cut.InvokeAsync(() => cut.Find("[data-testid=output-file-keep]").ClickAsync(new()));

    [Fact]
    public async Task FilesWritten_AreListedUnderTheVerdict_EachWithItsPreview()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0, OutputFiles = [Png, Csv, Data] });

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("files written: out.png, results.csv, data.bin", cut.Find("[data-testid=output-files]").TextContent);
            Assert.Equal([("out.png", "image"), ("results.csv", "csv"), ("data.bin", "binary")],
                cut.FindAll("[data-testid=output-file]").Select(e => (e.GetAttribute("data-path"), e.GetAttribute("data-kind"))));
            Assert.StartsWith("data:image/png;base64,", cut.Find("[data-path='out.png'] img").GetAttribute("src"));
            Assert.Equal(["x", "y", "1", "a, b"], cut.FindAll("[data-path='results.csv'] td").Select(td => td.TextContent));
        });
    }

    [Fact]
    public async Task Keep_ATextFile_PutsItInTheProject()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0, OutputFiles = [Csv] });

        await KeepAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("Kept as results.csv", cut.Find("[data-testid=output-file-keep]").TextContent));
        Assert.Equal("x,y\n1,\"a, b\"\n", Store.Project.Files["results.csv"]);
    }

    [Fact]
    public async Task Keep_WhenTheProjectHasAFileOfThatPath_KeepsItBesideAndLeavesTheStudentsOwn()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0, OutputFiles = [Csv] }, ("results.csv", "mine\n"));

        await KeepAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("Kept as results (from run).csv", cut.Find("[data-testid=output-file-keep]").TextContent));
        Assert.Equal(("mine\n", "x,y\n1,\"a, b\"\n"), (Store.Project.Files["results.csv"], Store.Project.Files["results (from run).csv"]));
    }

    [Fact]
    public async Task Keep_ABinaryFile_PutsItsBytesInTheProject()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0, OutputFiles = [Png] });

        await KeepAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("Kept as out.png", cut.Find("[data-testid=output-file-keep]").TextContent));
        Assert.Equal(Png.Content, Store.Project.Binaries["out.png"]);
    }

    [Fact]
    public async Task Keep_ABinaryFileWhereTheProjectHasOne_KeepsItBeside_NeverOver()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0, OutputFiles = [Data] }, ("data.bin", "mine"));

        await KeepAsync(cut);

        cut.WaitForAssertion(() => Assert.Contains("Kept as data (from run).bin", cut.Find("[data-testid=output-file-keep]").TextContent));
        Assert.Equal("mine", Store.Project.Files["data.bin"]);
        Assert.Equal(Data.Content, Store.Project.Binaries["data (from run).bin"]);
    }

    [Fact]
    public async Task FilesLeftOut_TheVerdictSaysSo()
    {
        var cut = await FinishedRunAsync(new RunVerdict
        {
            ExitCode = 0, OutputFiles = [Csv], OutputFilesLeftOut = new OutputFilesLeftOut(980, 98_000, OutputFileCaps.Count),
        });

        cut.WaitForAssertion(() => Assert.Equal("980 more files (95.7 KB) were not sent back: at most 20 files come back",
            cut.Find("[data-testid=output-files-left-out]").TextContent));
    }

    [Fact]
    public async Task NoFilesWritten_NoList()
    {
        var cut = await FinishedRunAsync(new RunVerdict { ExitCode = 0 });

        Assert.Empty(cut.FindAll("[data-testid=output-files]"));
    }
}
