using Bunit;
using CodeRunner.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Tests.Web;

/// <summary>
/// The state behind the phone layout: the explorer drawer's toggle and the app bar's "More actions" panel. Which of
/// them shows at which width is app.css's business (the browser tests at 390 × 844 check that).
/// </summary>
public sealed class PhoneLayoutTests : WebTestBase
{
    private IRenderedComponent<Ide> RenderIde()
    {
        RenderProviders();
        var cut = Render<Ide>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".ide").GetAttribute("data-loaded")));
        return cut;
    }

    private static bool DrawerOpen(IRenderedComponent<Ide> cut) => cut.Find(".ide-main").ClassList.Contains("explorer-open");

    private static async Task OpenDrawerAsync(IRenderedComponent<Ide> cut)
    {
        await cut.Find("[data-testid=explorer-drawer-toggle]").ClickAsync(new MouseEventArgs());
        Assert.True(DrawerOpen(cut));
    }

    [Fact]
    public void DrawerToggle_FirstRender_ClosedWithItsNameAndTarget()
    {
        var cut = RenderIde();

        var toggle = cut.Find("[data-testid=explorer-drawer-toggle]");
        Assert.Equal("false", toggle.GetAttribute("aria-expanded"));
        Assert.Equal("Project files", toggle.GetAttribute("aria-label"));
        Assert.Equal("ide-explorer", toggle.GetAttribute("aria-controls"));
        Assert.NotNull(cut.Find("#ide-explorer"));
        Assert.False(DrawerOpen(cut));
        Assert.Empty(cut.FindAll("[data-testid=explorer-drawer-backdrop]"));
    }

    [Fact]
    public async Task DrawerToggle_Clicked_OpensTheDrawerAndSaysSo()
    {
        var cut = RenderIde();

        await OpenDrawerAsync(cut);

        Assert.Equal("true", cut.Find("[data-testid=explorer-drawer-toggle]").GetAttribute("aria-expanded"));
        Assert.NotNull(cut.Find("[data-testid=explorer-drawer-backdrop]"));
    }

    [Fact]
    public async Task DrawerToggle_ClickedTwice_ClosesTheDrawer()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.Find("[data-testid=explorer-drawer-toggle]").ClickAsync(new MouseEventArgs());

        Assert.False(DrawerOpen(cut));
    }

    [Fact]
    public async Task DrawerBackdrop_Tapped_ClosesTheDrawer()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.Find("[data-testid=explorer-drawer-backdrop]").ClickAsync(new MouseEventArgs());

        Assert.False(DrawerOpen(cut));
        Assert.Equal("false", cut.Find("[data-testid=explorer-drawer-toggle]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task Drawer_FilePicked_ClosesAndOpensTheFile()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.Find("[data-testid=explorer-item][data-path='python/hello.py']").ClickAsync(new MouseEventArgs());

        Assert.False(DrawerOpen(cut));
        Assert.Equal("python/hello.py", Store.ActiveFile);
    }

    [Fact]
    public async Task Drawer_FolderClicked_StaysOpen()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.Find("[data-testid=explorer-item][data-path='python']").ClickAsync(new MouseEventArgs());

        Assert.True(DrawerOpen(cut));
    }

    [Fact]
    public async Task Drawer_NewFileMade_Closes()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.Find("[data-testid=new-file-button]").ClickAsync(new MouseEventArgs());
        cut.Find("[data-testid=file-name-input]").Input("phone.py");
        await cut.Find("[data-testid=file-name-input]").KeyDownAsync(new KeyboardEventArgs { Key = "Enter" });

        Assert.False(DrawerOpen(cut));
        Assert.Equal("phone.py", Store.ActiveFile);
    }

    [Fact]
    public async Task Drawer_EscapeFromTheModule_Closes()
    {
        var cut = RenderIde();
        await OpenDrawerAsync(cut);

        await cut.InvokeAsync(cut.Instance.CloseExplorerFromKeyboard);

        Assert.False(DrawerOpen(cut));
    }

    [Fact]
    public async Task MoreActions_Clicked_OpensThePanelThatHoldsTheBarsOtherButtons()
    {
        var cut = RenderIde();
        Assert.Equal("false", cut.Find("[data-testid=appbar-more]").GetAttribute("aria-expanded"));

        await cut.Find("[data-testid=appbar-more]").ClickAsync(new MouseEventArgs());

        Assert.Equal("true", cut.Find("[data-testid=appbar-more]").GetAttribute("aria-expanded"));
        var panel = cut.Find("#ide-appbar-more");
        Assert.Contains("open", panel.ClassList);
        foreach (var id in new[] { "network-toggle", "theme-toggle", "shortcuts-button", "join-class-button" })
        {
            Assert.NotNull(panel.QuerySelector($"[data-testid={id}]"));
        }
    }

    [Fact]
    public async Task MoreActions_AButtonInThePanelClicked_RunsItAndClosesThePanel()
    {
        var cut = RenderIde();
        await cut.Find("[data-testid=appbar-more]").ClickAsync(new MouseEventArgs());

        await cut.Find("[data-testid=theme-toggle]").ClickAsync(new MouseEventArgs());

        Assert.Equal("light", cut.Find("[data-testid=theme-toggle]").GetAttribute("data-theme"));
        Assert.DoesNotContain("open", cut.Find("#ide-appbar-more").ClassList);
    }

    [Fact]
    public async Task MoreActions_Escape_ClosesThePanel()
    {
        var cut = RenderIde();
        await cut.Find("[data-testid=appbar-more]").ClickAsync(new MouseEventArgs());

        await cut.Find("#ide-appbar-more").KeyDownAsync(new KeyboardEventArgs { Key = "Escape" });

        Assert.Equal("false", cut.Find("[data-testid=appbar-more]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task MoreActions_TapOutside_ClosesThePanel()
    {
        var cut = RenderIde();
        await cut.Find("[data-testid=appbar-more]").ClickAsync(new MouseEventArgs());

        await cut.Find("[data-testid=appbar-more-backdrop]").ClickAsync(new MouseEventArgs());

        Assert.Equal("false", cut.Find("[data-testid=appbar-more]").GetAttribute("aria-expanded"));
        Assert.Empty(cut.FindAll("[data-testid=appbar-more-backdrop]"));
    }

    [Fact]
    public async Task StdinInput_OnAPhone_AsksForASendKeyAndNoAutocorrection()
    {
        var cut = RenderIde();
        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        var stdin = cut.Find("[data-testid=stdin-input]");
        Assert.Equal("send", stdin.GetAttribute("enterkeyhint"));
        Assert.Equal("text", stdin.GetAttribute("inputmode"));
        Assert.Equal("off", stdin.GetAttribute("autocapitalize"));
        Assert.Equal("off", stdin.GetAttribute("autocorrect"));
    }
}
