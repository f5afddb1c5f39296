using System.Text;
using Bunit;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Tests.Web;

/// <summary>
/// Run and the editor's text: the run starts at once when the server has the editor's latest edit, and asks the
/// browser for its edits first when the browser said it holds some that have not arrived.
/// </summary>
public sealed class RunEditorSyncTests : WebTestBase
{
    private IRenderedComponent<Ide> RenderIde()
    {
        RenderProviders();
        var cut = Render<Ide>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".ide").GetAttribute("data-loaded")));
        return cut;
    }

    private string RanText(string path) => Encoding.UTF8.GetString(EngineSession.Requests.Single().Files.Single(f => f.Path == path).Content.Span);

    private int TakeChangesCalls => JSInterop.Invocations.Count(i => i.Identifier == "takeChanges");

    [Fact]
    public async Task Run_EditorTextAlreadySent_StartsWithoutAskingTheEditor()
    {
        var cut = RenderIde();
        var editor = cut.FindComponent<CodeEditor>().Instance;
        var path = Store.ActiveFile!;
        await cut.InvokeAsync(() =>
        {
            editor.OnEditing(1);
            editor.OnTextChanged(new() { [path] = "print('sent')\n" }, 2);
        });

        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        Assert.Equal(0, TakeChangesCalls);
        Assert.Equal("print('sent')\n", RanText(path));
    }

    [Fact]
    public async Task Run_EditorHoldsUnsentEdits_TakesThemBeforeStarting()
    {
        var cut = RenderIde();
        var editor = cut.FindComponent<CodeEditor>().Instance;
        var path = Store.ActiveFile!;
        JSInterop.Setup<CodeEditor.EditorEdits?>("takeChanges", _ => true)
            .SetResult(new CodeEditor.EditorEdits(new() { [path] = "print('typed')\n" }, 3));
        await cut.InvokeAsync(() =>
        {
            editor.OnTextChanged(new() { [path] = "print('older')\n" }, 1);
            editor.OnEditing(2); // typed again after that send: the text on screen is not on the server yet
        });

        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        Assert.Equal(1, TakeChangesCalls);
        Assert.Equal("print('typed')\n", RanText(path));
    }
}
