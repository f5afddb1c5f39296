using Bunit;
using CodeRunner.Engine.Runs;
using CodeRunner.Web.Components.Console;

namespace CodeRunner.Tests.Web;

public sealed class VerdictAndErrorTests : WebTestBase
{
    private async Task<IRenderedComponent<ConsolePanel>> RunAsync(string file = "main.py")
    {
        await LoadProjectAsync((file, "print(1)"));
        await Consoles.StartAsync(file);
        return Render<ConsolePanel>();
    }

    [Fact]
    public async Task Verdict_Success_ShowsExitCodeTimeAndMemory()
    {
        var cut = await RunAsync();
        EngineSession.RunOf("main.py").Finish(new RunVerdict
        {
            ExitCode = 0, WallTime = TimeSpan.FromMilliseconds(120), CpuTime = TimeSpan.FromMilliseconds(40), PeakMemoryBytes = 9 * 1024 * 1024,
        });

        cut.WaitForAssertion(() =>
        {
            var verdict = cut.Find("[data-testid=verdict]");
            Assert.Equal("exit code 0 · 0.12 s · CPU 0.04 s · 9 MB", verdict.TextContent.Trim());
            Assert.Contains("verdict-ok", verdict.ClassName);
        });
    }

    [Theory]
    [InlineData("timed-out", "timed out")]
    [InlineData("out-of-memory", "out of memory")]
    [InlineData("output-limit", "output limit reached")]
    [InlineData("stopped", "stopped")]
    public async Task Verdict_Flag_ShownAsAFailure(string outcome, string words)
    {
        var cut = await RunAsync();
        EngineSession.RunOf("main.py").Finish(new RunVerdict
        {
            Signal = 9,
            TimedOut = outcome == "timed-out",
            OutOfMemory = outcome == "out-of-memory",
            OutputLimitExceeded = outcome == "output-limit",
            Stopped = outcome == "stopped",
        });

        cut.WaitForAssertion(() =>
        {
            var verdict = cut.Find("[data-testid=verdict]");
            Assert.Equal(outcome, verdict.GetAttribute("data-outcome"));
            Assert.Contains(words, verdict.TextContent);
            Assert.Contains("killed by signal 9", verdict.TextContent);
            Assert.Contains("verdict-fail", verdict.ClassName);
        });
    }

    [Fact]
    public async Task Verdict_EngineLostTheRun_ShowsTheEnginesSentence()
    {
        var cut = await RunAsync();
        EngineSession.RunOf("main.py").Finish(new RunVerdict { Error = "Docker stopped answering; start it and run again." });

        cut.WaitForAssertion(() =>
            Assert.Equal("Docker stopped answering; start it and run again.", cut.Find("[data-testid=verdict]").TextContent.Trim()));
    }

    [Theory]
    [MemberData(nameof(EngineRefusals))]
    public async Task Start_EngineRefuses_MessageShownInTheConsole(Exception refusal, string shown)
    {
        EngineSession.ThrowOnStart = refusal;
        var cut = await RunAsync();

        Assert.Equal("Could not start: " + shown, cut.Find("[data-testid=verdict]").TextContent.Trim());
        Assert.Contains(cut.FindAll(".kind-error"), e => e.TextContent == shown);
        Assert.Equal("not-started", cut.Find("[data-testid=verdict]").GetAttribute("data-outcome"));
    }

    public static TheoryData<Exception, string> EngineRefusals() => new()
    {
        { new InvalidRunRequestException("The project holds 12 MB of files; at most 10 MB can run at once."), "The project holds 12 MB of files; at most 10 MB can run at once." },
        { new RuntimeUnavailableException("The image coderunner-python is missing; build it with scripts/build-images."), "The image coderunner-python is missing; build it with scripts/build-images." },
        { new InvalidOperationException("No warm container within 60 s."), "The run could not start: No warm container within 60 s." },
        { new NetworkModeUnavailableException("Network mode is off on this server: its firewall rules are not in place."), "Network mode is off on this server: its firewall rules are not in place." },
    };

    [Fact]
    public async Task RunWaitingForAContainer_ShowsWhatItWaitsFor_ThenRunningOnceItStarts()
    {
        var cut = await RunAsync();
        var run = EngineSession.RunOf("main.py");

        run.Emit(ConsoleStream.Status, "waiting for a free python container (3 ahead)");
        cut.WaitForAssertion(() => Assert.Equal("waiting for a free python container (3 ahead)",
            cut.Find("[data-testid=running-indicator]").TextContent.Trim()));
        Assert.Equal("true", cut.Find("[data-testid=running-indicator]").GetAttribute("data-waiting"));
        Assert.DoesNotContain(cut.FindAll("[data-testid=console-line]"), l => l.TextContent.Contains("ahead"));

        run.Emit(ConsoleStream.Status, "");
        cut.WaitForAssertion(() => Assert.Equal("running…", cut.Find("[data-testid=running-indicator]").TextContent.Trim()));
    }

    [Fact]
    public async Task Start_EngineThrowsUnexpectedly_LaterRunsStillWork()
    {
        EngineSession.ThrowOnStart = new ObjectDisposedException("session");
        var cut = await RunAsync();
        EngineSession.ThrowOnStart = null;

        await Consoles.StartAsync("main.py");

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=console-tab]").GetAttribute("data-running")));
    }
}
