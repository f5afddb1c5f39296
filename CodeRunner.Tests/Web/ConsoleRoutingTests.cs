using Bunit;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Console;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Tests.Web;

public sealed class ConsoleRoutingTests : WebTestBase
{
    private async Task<IRenderedComponent<ConsolePanel>> TwoRunningConsolesAsync()
    {
        await LoadProjectAsync(("server.py", "input()"), ("client.py", "input()"));
        await Consoles.StartAsync("server.py");
        await Consoles.StartAsync("client.py");
        return Render<ConsolePanel>();
    }

    private static void SendLine(IRenderedComponent<ConsolePanel> cut, string text)
    {
        var input = cut.Find("[data-testid=stdin-input]");
        input.Input(text);
        input.KeyDown(key: "Enter");
    }

    [Fact]
    public async Task Stdin_TwoRunsAtOnce_GoesToTheShownConsolesProgramOnly()
    {
        var cut = await TwoRunningConsolesAsync();
        cut.Find("[data-testid=console-tab][data-path='server.py'] button").Click();

        SendLine(cut, "to the server");

        Assert.Equal("server.py", cut.Find("[data-testid=stdin-input]").GetAttribute("data-path"));
        Assert.Equal(["to the server\n"], EngineSession.RunOf("server.py").Stdin);
        Assert.Empty(EngineSession.RunOf("client.py").Stdin);
    }

    [Fact]
    public async Task Stdin_AfterSwitchingTabs_FollowsTheNewConsole()
    {
        var cut = await TwoRunningConsolesAsync();
        cut.Find("[data-testid=console-tab][data-path='server.py'] button").Click();
        SendLine(cut, "one");
        cut.Find("[data-testid=console-tab][data-path='client.py'] button").Click();

        SendLine(cut, "two");

        Assert.Equal(["one\n"], EngineSession.RunOf("server.py").Stdin);
        Assert.Equal(["two\n"], EngineSession.RunOf("client.py").Stdin);
    }

    [Fact]
    public async Task Stdin_EnterOnEmptyLine_SendsABlankLine()
    {
        var cut = await TwoRunningConsolesAsync();

        SendLine(cut, "");

        Assert.Equal(["\n"], EngineSession.RunOf("client.py").Stdin);
    }

    [Fact]
    public async Task Stdin_EofButtonAndCtrlD_CloseTheProgramsInput()
    {
        var cut = await TwoRunningConsolesAsync();
        cut.Find("[data-testid=stdin-eof]").Click();
        Assert.True(EngineSession.RunOf("client.py").StdinClosed);

        cut.Find("[data-testid=console-tab][data-path='server.py'] button").Click();
        cut.Find("[data-testid=stdin-input]").KeyDown(new KeyboardEventArgs { Key = "d", CtrlKey = true });
        Assert.True(EngineSession.RunOf("server.py").StdinClosed);
    }

    [Fact]
    public async Task Output_PromptWithoutNewline_ShownBeforeTheStudentTypes()
    {
        var cut = await TwoRunningConsolesAsync();
        EngineSession.RunOf("client.py").Emit(ConsoleStream.Stdout, "Your name? ");

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=console-line]"), l => l.TextContent == "Your name? "));
    }

    [Fact]
    public async Task Output_StdoutAndStderr_StyledDifferently()
    {
        var cut = await TwoRunningConsolesAsync();
        var run = EngineSession.RunOf("client.py");
        run.Emit(ConsoleStream.Stdout, "fine\n");
        run.Emit(ConsoleStream.Stderr, "Traceback\n");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("fine", cut.Find(".kind-stdout").TextContent);
            Assert.Equal("Traceback", cut.Find(".kind-stderr").TextContent);
        });
    }

    [Fact]
    public async Task Stdin_EngineFailsToDeliver_ErrorShownAndTheConsoleKeepsWorking()
    {
        var cut = await TwoRunningConsolesAsync();
        EngineSession.RunOf("client.py").ThrowOnStdin = new ObjectDisposedException("run");

        SendLine(cut, "hello");

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll(".kind-error"), e => e.TextContent.StartsWith("Could not send the input:", StringComparison.Ordinal)));
        Assert.Equal("true", cut.Find("[data-testid=console-output]").GetAttribute("data-running"));
    }
}
