using Bunit;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Layout;
using Microsoft.AspNetCore.Components.Web;

namespace CodeRunner.Tests.Web;

public sealed class IdeTests : WebTestBase
{
    private IRenderedComponent<Ide> RenderIde()
    {
        RenderProviders();
        var cut = Render<Ide>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".ide").GetAttribute("data-loaded")));
        return cut;
    }

    [Fact]
    public async Task NetworkToggle_Clicked_NextRunUsesNetworkMode()
    {
        var cut = RenderIde();
        Assert.Equal("false", cut.Find("[data-testid=network-toggle]").GetAttribute("aria-pressed"));

        await cut.Find("[data-testid=network-toggle]").ClickAsync(new MouseEventArgs());
        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        Assert.Equal("true", cut.Find("[data-testid=network-toggle]").GetAttribute("aria-pressed"));
        Assert.Equal(RunMode.Network, EngineSession.Requests.Single().Mode);
    }

    [Fact]
    public async Task NetworkToggle_ClickedTwice_BackToFastMode()
    {
        var cut = RenderIde();
        await cut.Find("[data-testid=network-toggle]").ClickAsync(new MouseEventArgs());
        await cut.Find("[data-testid=network-toggle]").ClickAsync(new MouseEventArgs());
        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        Assert.Equal(RunMode.Fast, EngineSession.Requests.Single().Mode);
        Assert.Equal("Network mode is off: switch it on", cut.Find("[data-testid=network-toggle]").GetAttribute("aria-label"));
    }

    [Fact]
    public void NetworkToggle_Hovered_TooltipSaysWhatItMeansAndThatTheFirstRunIsSlower()
    {
        var cut = RenderIde();

        cut.Find("[data-testid=network-toggle]").Closest(".mud-tooltip-root")!.PointerEnter();

        Popovers.WaitForAssertion(() =>
        {
            Assert.Contains("share one localhost", Popovers.Markup);
            Assert.Contains("first run in network mode takes a second or two longer", Popovers.Markup);
        });
    }

    [Fact]
    public async Task Run_FirstVisit_RunsTheActiveFileWithEveryProjectFile()
    {
        var cut = RenderIde();

        await cut.Find("[data-testid=run-button]").ClickAsync(new MouseEventArgs());

        var request = EngineSession.Requests.Single();
        Assert.Equal(Store.ActiveFile, request.EntryFile);
        Assert.Equal(Store.Project.Files.Keys.Order(), request.Files.Select(f => f.Path).Order());
        Assert.Equal(Store.ActiveFile, cut.Find("[data-testid=console-tab]").GetAttribute("data-path"));
    }

    [Fact]
    public void EngineProblem_DockerDown_ShownAsAnAlert()
    {
        Engine.Problem = "Docker does not answer at unix:///var/run/docker.sock: start it with scripts/run.";

        var cut = RenderIde();

        Assert.Equal(Engine.Problem, cut.Find("[data-testid=engine-problem]").TextContent.Trim());
    }

    [Fact]
    public async Task ThemeToggle_Clicked_SwitchesToLightAndRemembersIt()
    {
        var cut = RenderIde();
        Assert.Equal("dark", cut.Find("[data-testid=theme-toggle]").GetAttribute("data-theme"));

        await cut.Find("[data-testid=theme-toggle]").ClickAsync(new MouseEventArgs());

        Assert.Equal("light", cut.Find("[data-testid=theme-toggle]").GetAttribute("data-theme"));
        Assert.Contains("ide-light", cut.Find(".ide").ClassName);
        await WaitUntilAsync(() => Storage.Stored?.Manifest.DarkMode == false, "the light theme is saved");
    }
}
