using Bunit;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Console;
using CodeRunner.Web.Runs;

namespace CodeRunner.Tests.Web;

public sealed class ConsoleViewTests : WebTestBase
{
    /// <summary>A console showing a fake run of main.py, whose output the test writes.</summary>
    private static (FakeRunHandle Run, RunConsole Console) Attached()
    {
        var run = new FakeRunHandle("main.py");
        var console = new RunConsole("main.py");
        console.Attach(run, RunMode.Fast, "▶ main.py");
        return (run, console);
    }

    private static RunConsole ConsoleWith(int lines)
    {
        var (run, console) = Attached();
        run.Emit(ConsoleStream.Stdout, string.Concat(Enumerable.Range(0, lines).Select(i => $"line {i}\n")));
        return console;
    }

    [Fact]
    public void Virtualize_2000Entries_RendersAWindowNotAllRows()
    {
        var console = ConsoleWith(5000);
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));

        cut.WaitForAssertion(() => Assert.Equal("2000", cut.Find("[data-testid=console-output]").GetAttribute("data-entries")));
        var rendered = cut.FindAll("[data-testid=console-line]").Count;
        Assert.InRange(rendered, 1, 200);
    }

    [Fact]
    public void Output_ThousandsOfChunks_RenderedOncePerBatchNotPerChunk()
    {
        var (run, console) = Attached();
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));
        var before = cut.RenderCount;

        for (var i = 0; i < 3000; i++)
        {
            run.Emit(ConsoleStream.Stdout, $"chunk {i}\n");
        }

        cut.WaitForAssertion(() => Assert.Contains(console.Lines, l => l.Text == "chunk 2999"), TimeSpan.FromSeconds(5));
        Assert.InRange(cut.RenderCount - before, 1, 20);
    }

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 0];

    [Fact]
    public void AnImage_BetweenTwoLines_RendersAsAConsoleImageInOrder()
    {
        var (run, console) = Attached();
        run.Emit(ConsoleStream.Stdout, "before\n");
        run.EmitImage(Png);
        run.Emit(ConsoleStream.Stdout, "after\n");
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));

        cut.WaitForAssertion(() => Assert.Equal("4", cut.Find("[data-testid=console-output]").GetAttribute("data-entries")));
        var order = cut.FindAll("[data-testid=console-line], [data-testid=console-image]")
            .Select(e => e.GetAttribute("data-testid") == "console-image" ? "image" : e.TextContent);
        Assert.Equal(["▶ main.py", "before", "image", "after"], order);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), cut.Find("[data-testid=console-image]").GetAttribute("src"));
    }

    [Fact]
    public void AnImage_Clicked_OpensAtFullSizeWithASaveLink()
    {
        var (run, console) = Attached();
        run.EmitImage(Png);
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=console-image]")));

        cut.Find(".console-image-button").Click();

        var save = cut.Find("[data-testid=console-image-dialog] [data-testid=console-image-save]");
        Assert.Equal(cut.Find("[data-testid=console-image]").GetAttribute("src"), save.GetAttribute("href"));
        Assert.EndsWith(".png", save.GetAttribute("download"));
    }

    [Fact]
    public void Clear_Clicked_EmptiesTheConsole()
    {
        var console = ConsoleWith(10);
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));
        cut.WaitForAssertion(() => Assert.Equal("11", cut.Find("[data-testid=console-output]").GetAttribute("data-entries")));

        cut.Find("[data-testid=console-clear]").Click();

        Assert.Equal("0", cut.Find("[data-testid=console-output]").GetAttribute("data-entries"));
        Assert.Empty(cut.FindAll("[data-testid=console-line]"));
    }

    [Fact]
    public void EngineMessage_WithoutNewline_IsALineOfItsOwn()
    {
        var run = new FakeRunHandle("main.py");
        var console = new RunConsole("main.py");
        console.Attach(run, RunMode.Network, "▶ main.py");
        run.Emit(ConsoleStream.System, "network mode: starting a python container…");
        run.Emit(ConsoleStream.Stdout, "hello\n");
        var cut = Render<ConsoleView>(p => p.Add(c => c.Console, console));

        cut.WaitForAssertion(() => Assert.Equal(
            ["▶ main.py", "network mode: starting a python container…", "hello"],
            cut.FindAll("[data-testid=console-line]").Select(l => l.TextContent)));
    }
}
