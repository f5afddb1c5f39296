using System.Security.Claims;
using Bunit;
using CodeRunner.Engine;
using CodeRunner.Web.Admin;
using CodeRunner.Web.Classroom;
using CodeRunner.Web.Components.Admin;
using CodeRunner.Web.Operations;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Tests.Web;

/// <summary>The admin page's component: what it lists through the automation contract, and that every action asks first.</summary>
public sealed class AdminPageTests : WebTestBase
{
    private readonly RecordingAdministration _admin = new();
    private readonly RecentProblems _problems = new(TimeProvider.System);

    public AdminPageTests()
    {
        Services.AddSingleton<IEngineAdministration>(_admin);
        Services.AddSingleton(_problems);
        Services.AddSingleton(Options.Create(new EngineOptions()));
        Services.AddSingleton(Options.Create(new AdminOptions { Key = "a-long-key-that-is-secret-0123456789abcdef" }));
        Services.AddSingleton<ServerSettings>();
        Services.AddSingleton<AuthenticationStateProvider>(new Administrator());
    }

    [Fact]
    public void Pools_Runs_Images_Log_AndSettings_AreShown_WithoutTheAdminKey()
    {
        _problems.CreateLogger("CodeRunner.Engine.Pools.WarmPool").Log(LogLevel.Warning, new EventId(7), "Creating a gcc container failed: no space left on device",
            null, (text, _) => text);
        _problems.CreateLogger("Anything").Log(LogLevel.Information, new EventId(1), "not a problem", null, (text, _) => text);
        RenderProviders();
        var cut = Render<AdminPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=admin-image-row]").Count));
        Assert.Equal(["gcc", "python"], cut.FindAll("[data-testid=admin-pool-row]").Select(r => r.GetAttribute("data-runtime")));
        Assert.Equal("true", cut.Find("[data-testid=admin-pool-row][data-runtime=gcc]").GetAttribute("data-drained"));
        var run = cut.Find("[data-testid=admin-run-row]");
        Assert.Equal("run-1", run.GetAttribute("data-run-id"));
        Assert.Contains("lab/loop.py", run.TextContent);
        Assert.Equal("true", cut.Find("[data-testid=admin-image-row][data-runtime=gcc]").GetAttribute("data-out-of-date"));
        Assert.Contains("out of date", cut.Find("[data-testid=admin-image-row][data-runtime=gcc]").TextContent);

        var entry = Assert.Single(cut.FindAll("[data-testid=admin-log-entry]"));
        Assert.Contains("no space left on device", entry.TextContent);

        var settings = cut.Find("[data-testid=admin-settings]").TextContent;
        Assert.Contains("\"poolSize\": 3", settings);
        Assert.Contains("(set, not shown)", settings);
        Assert.DoesNotContain("a-long-key-that-is-secret", cut.Markup);
    }

    [Fact]
    public async Task StoppingARun_AsksFirst_AndNamesTheAdministrator()
    {
        RenderProviders();
        var cut = Render<AdminPage>();

        var cancelling = cut.Find("[data-testid=admin-stop-run]").ClickAsync(new MouseEventArgs());
        Dialogs.WaitForAssertion(() => Assert.Contains("Stop lab/loop.py (python) of session s-1?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").ClickAsync(new MouseEventArgs());
        await cancelling;
        Assert.Empty(_admin.Actions);

        var stopping = cut.Find("[data-testid=admin-stop-run]").ClickAsync(new MouseEventArgs());
        Dialogs.WaitForAssertion(() => Assert.Contains("Stop lab/loop.py", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stop").ClickAsync(new MouseEventArgs());
        await stopping;
        cut.WaitForAssertion(() => Assert.Equal(["stop run-1 by ada"], _admin.Actions));
    }

    [Fact]
    public async Task DrainRefillAndEndSession_EachAskFirst()
    {
        RenderProviders();
        var cut = Render<AdminPage>();

        var draining = cut.Find("[data-testid=admin-pool-row][data-runtime=python] [data-testid=admin-pool-drain]").ClickAsync(new MouseEventArgs());
        Dialogs.WaitForAssertion(() => Assert.Contains("Drain the pool?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Drain").ClickAsync(new MouseEventArgs());
        await draining;
        var refilling = cut.Find("[data-testid=admin-pool-row][data-runtime=gcc] [data-testid=admin-pool-refill]").ClickAsync(new MouseEventArgs());
        Dialogs.WaitForAssertion(() => Assert.Contains("Refill the pool?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Refill").ClickAsync(new MouseEventArgs());
        await refilling;
        var ending = cut.Find("[data-testid=admin-end-session]").ClickAsync(new MouseEventArgs());
        Dialogs.WaitForAssertion(() => Assert.Contains("End session s-1?", Dialogs.Markup));
        await Dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "End the session").ClickAsync(new MouseEventArgs());
        await ending;

        cut.WaitForAssertion(() => Assert.Equal(["drain python by ada", "refill gcc by ada", "end s-1 by ada"], _admin.Actions));
    }

    private sealed class Administrator : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(new ClaimsPrincipal(
            new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada"), new Claim(StudentAuthentication.AdministratorClaim, "true")],
                IdentityConstants.ApplicationScheme))));
    }

    /// <summary>An engine of two pools and one live run that records what the page asks of it.</summary>
    private sealed class RecordingAdministration : IEngineAdministration
    {
        public List<string> Actions { get; } = [];

        public EngineOverview GetOverview() => new(
            [new PoolOverview("gcc", 3, 0, 0, 0, 0, Drained: true), new PoolOverview("python", 3, 2, 1, 0, 0, Drained: false)],
            [new SessionOverview("s-1", DateTimeOffset.UtcNow.AddMinutes(-5), null, 0, false, [new RunOverview("run-1", "s-1", "python", "lab/loop.py")])]);

        public Task<IReadOnlyList<RuntimeImage>> GetImagesAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RuntimeImage>>(
            [
                new RuntimeImage("gcc", "coderunner-gcc:abc", DateTimeOffset.UtcNow.AddDays(-3), 300L * 1024 * 1024, OutOfDate: true),
                new RuntimeImage("python", "coderunner-python:def", DateTimeOffset.UtcNow.AddHours(-2), 120L * 1024 * 1024, OutOfDate: false),
            ]);

        public bool DrainPool(string runtime, string administrator) => Record($"drain {runtime} by {administrator}");

        public bool RefillPool(string runtime, string administrator) => Record($"refill {runtime} by {administrator}");

        public Task<bool> StopRunAsync(string runId, string administrator, CancellationToken cancellationToken = default) =>
            Task.FromResult(Record($"stop {runId} by {administrator}"));

        public Task<bool> EndSessionAsync(string sessionId, string administrator) => Task.FromResult(Record($"end {sessionId} by {administrator}"));

        private bool Record(string action)
        {
            Actions.Add(action);
            return true;
        }
    }
}
