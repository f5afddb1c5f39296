using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>What the admin page shows and does, against the real engine: live runs, sessions, pools and images.</summary>
[Collection(DockerCollection.Name)]
public sealed class AdministrationTests(EngineFixture fixture)
{
    private const string Administrator = "ada";

    /// <summary>A program that prints, then runs until stopped.</summary>
    private const string Forever = "import time\nprint('working', flush=True)\nwhile True:\n    time.sleep(0.1)\n";

    private IEngineAdministration Admin => fixture.Administration;

    [Fact]
    public async Task ALiveRun_IsListedWithItsSession_AndTheAdministratorStopsIt()
    {
        await using var session = fixture.Engine.CreateSession();
        // A student's project: the starter hello, and the program they are working on.
        Assert.Equal(0, (await session.RunAsync("hello.py", "print('hello')")).Verdict.ExitCode);
        var run = await session.StartRunAsync(RunExtensions.Request("lab/loop.py", Forever, others: [("hello.py", "print('hello')")]));
        await run.WaitForStdoutAsync("working");

        // The hello run may still be listed for a moment after its verdict: the loop is the one of interest.
        var row = Admin.GetOverview().Sessions.Single(s => s.Id == session.Id).Runs.Single(r => r.Id == run.Id);
        Assert.Equal((run.Id, session.Id, "python", "lab/loop.py"), (row.Id, row.SessionId, row.Language, row.EntryFile));

        Assert.True(await Admin.StopRunAsync(run.Id, Administrator));
        var verdict = await run.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(verdict.Stopped, verdict.Summary);
        await WaitUntilAsync(() => Admin.GetOverview().Sessions.Single(s => s.Id == session.Id).Runs.Count == 0, "the stopped run to leave the list");
        Assert.False(await Admin.StopRunAsync(run.Id, Administrator)); // it has ended: nothing to stop
    }

    [Fact]
    public async Task EndingASession_StopsItsRuns_AndRemovesIt()
    {
        var session = fixture.Engine.CreateSession();
        await using var _ = session;
        var run = await session.StartRunAsync(RunExtensions.Request("loop.py", Forever));
        await run.WaitForStdoutAsync("working");

        Assert.True(await Admin.EndSessionAsync(session.Id, Administrator));
        Assert.True((await run.Completion.WaitAsync(TimeSpan.FromSeconds(30))).Stopped);
        Assert.True(session.IsClosed);
        Assert.DoesNotContain(Admin.GetOverview().Sessions, s => s.Id == session.Id);
        Assert.False(await Admin.EndSessionAsync(session.Id, Administrator));
    }

    [Fact]
    public async Task ADrainedPool_KeepsNoWarmContainer_RunsStillWork_AndRefillWarmsItAgain()
    {
        const string runtime = "bash";
        Assert.Equal(EngineFixture.PoolSize, await WaitForWarmAsync(runtime, EngineFixture.PoolSize));
        try
        {
            Assert.True(Admin.DrainPool(runtime, Administrator));
            var drained = Pool(runtime);
            Assert.True(drained.Drained);
            Assert.Equal(0, drained.Warm);

            await using var session = fixture.Engine.CreateSession();
            var result = await session.RunAsync("hello.sh", "echo still runs");
            Assert.Equal("still runs\n", result.Stdout);
            await Task.Delay(TimeSpan.FromSeconds(2)); // its reset, after which a drained pool removes it
            Assert.Equal(0, Pool(runtime).Warm);
            Assert.Equal(0, Pool(runtime).Busy + Pool(runtime).Resetting);
        }
        finally
        {
            Assert.True(Admin.RefillPool(runtime, Administrator));
        }

        Assert.False(Pool(runtime).Drained);
        Assert.Equal(EngineFixture.PoolSize, await WaitForWarmAsync(runtime, EngineFixture.PoolSize));
        Assert.False(Admin.DrainPool("no-such-runtime", Administrator));
    }

    [Fact]
    public async Task Images_AreListedWithWhenTheyWereBuilt_TheirSize_AndWhetherUpToDate()
    {
        var images = await Admin.GetImagesAsync();
        var python = images.Single(i => i.Runtime == "python");
        Assert.StartsWith("coderunner-python:", python.Image);
        Assert.NotNull(python.BuiltAt);
        Assert.InRange(python.BuiltAt!.Value, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.InRange(python.SizeBytes!.Value, 10L * 1024 * 1024, 10L * 1024 * 1024 * 1024);
        Assert.False(python.OutOfDate); // scripts/test builds each image from its folder as it is
        Assert.Equal(fixture.Internal.Catalog.Runtimes.Select(r => r.Name).Order(StringComparer.Ordinal), images.Select(i => i.Runtime));
        Assert.All(images, i => Assert.NotNull(i.BuiltAt));
    }

    private PoolOverview Pool(string runtime) => Admin.GetOverview().Pools.Single(p => p.Runtime == runtime);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
            await Task.Delay(100);
        }
    }

    private async Task<int> WaitForWarmAsync(string runtime, int warm)
    {
        var waited = Stopwatch.StartNew();
        while (Pool(runtime).Warm < warm && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }

        return Pool(runtime).Warm;
    }
}
