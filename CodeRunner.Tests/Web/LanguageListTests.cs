using Bunit;
using CodeRunner.Engine;
using CodeRunner.Web.Components.Editor;
using CodeRunner.Web.Components.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CodeRunner.Tests.Web;

/// <summary>The languages the web shows come from the engine: the shortcuts dialog's list, and Monaco's language for a file.</summary>
public sealed class LanguageListTests : WebTestBase
{
    private async Task<IRenderedComponent<MudDialogProvider>> OpenShortcutsAsync()
    {
        RenderProviders();
        var dialogs = Services.GetRequiredService<IDialogService>();
        await Dialogs.InvokeAsync(() => dialogs.ShowAsync<ShortcutsDialog>("Keyboard shortcuts"));
        return Dialogs;
    }

    [Fact]
    public async Task ShortcutsDialog_ListsEveryLanguageTheEngineRuns_WithItsExtensions()
    {
        var dialogs = await OpenShortcutsAsync();

        var rows = dialogs.WaitForElements("[data-testid=languages] [data-testid=language]");
        Assert.Equal(Engine.Languages.Select(l => l.Id), rows.Select(r => r.GetAttribute("data-language-id")));
        var cpp = rows.Single(r => r.GetAttribute("data-language-id") == "cpp").TextContent;
        Assert.All([".cpp", ".cc", ".cxx", ".hpp"], extension => Assert.Contains(extension, cpp));
    }

    [Fact]
    public async Task ShortcutsDialog_LanguageWhoseImageIsMissing_ShowsItsProblem()
    {
        Engine.Languages = [.. Engine.Languages.Select(l => l.Id == "java" ? l with { Problem = "The image coderunner-java is missing." } : l)];

        var dialogs = await OpenShortcutsAsync();

        var problem = Assert.Single(dialogs.WaitForElements("[data-testid=language-problem]", TimeSpan.FromSeconds(10)));
        Assert.Equal("The image coderunner-java is missing.", problem.TextContent);
        Assert.Equal("java", problem.Closest("[data-testid=language]")!.GetAttribute("data-language-id"));
    }

    [Theory]
    [InlineData("notes/x.c", "c")]
    [InlineData("lib/a.h", "c")]
    [InlineData("lib/a.HPP", "cpp")]
    [InlineData("App.java", "java")]
    [InlineData("q.sql", "sql")]
    public void EditorLanguage_AFileOfAnEngineLanguage_IsThatLanguagesEditorId(string path, string expected) =>
        Assert.Equal(expected, EditorLanguage.For(Engine, path));

    [Theory]
    [InlineData("notes.json")]
    [InlineData("Makefile")]
    [InlineData("README.md")]
    public void EditorLanguage_AFileNoEngineLanguageClaims_IsLeftToMonaco(string path) =>
        Assert.Null(EditorLanguage.For(Engine, path));

    [Fact]
    public async Task Editor_AHeaderFile_ShownInItsLanguage_DataLanguageSaysSo()
    {
        await LoadProjectAsync(("lib/a.h", "int twice(int x);\n"));
        var editor = Render<CodeEditor>();

        await editor.InvokeAsync(() => Store.Open("lib/a.h"));

        editor.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["show"]));
        var show = JSInterop.Invocations["show"][0];
        Assert.Equal(["lib/a.h", "int twice(int x);\n", "c"], show.Arguments);
        editor.WaitForAssertion(() => Assert.Equal("c", editor.Find("[data-testid=editor]").GetAttribute("data-language")));
    }

    [Fact]
    public async Task Editor_AFileNoEngineLanguageClaims_DataLanguageIsWhatMonacoChose()
    {
        JSInterop.Setup<string?>("show", _ => true).SetResult("json");
        await LoadProjectAsync(("notes.json", "{}\n"));
        var editor = Render<CodeEditor>();

        await editor.InvokeAsync(() => Store.Open("notes.json"));

        editor.WaitForAssertion(() => Assert.Single(JSInterop.Invocations["show"]));
        var show = JSInterop.Invocations["show"][0];
        Assert.Null(show.Arguments[2]);
        editor.WaitForAssertion(() => Assert.Equal("json", editor.Find("[data-testid=editor]").GetAttribute("data-language")));
    }
}
