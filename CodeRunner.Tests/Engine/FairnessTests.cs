using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sessions;
using CodeRunner.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace CodeRunner.Tests.Engine;

/// <summary>An engine small enough to fill: five Python containers at most, four live runs per session, one network session.</summary>
public sealed class SmallEngineFixture : IAsyncLifetime
{
    public const int Containers = 5;
    public const int RunsPerSession = 4;

    private IHost? _host;

    public IExecutionEngine Engine => _host!.Services.GetRequiredService<IExecutionEngine>();

    internal ExecutionEngine Internal => _host!.Services.GetRequiredService<ExecutionEngine>();

    public async Task InitializeAsync()
    {
        var settings = EngineFixture.Settings(poolSize: Containers);
        settings["Engine:MaxContainersPerRuntime"] = Containers.ToString();
        settings["Engine:MaxRunsPerSession"] = RunsPerSession.ToString();
        settings["Engine:MaxNetworkSessions"] = "1";
        settings["Engine:NetworkKits"] = "0";
        settings["Engine:Limits:TimeoutSeconds"] = "120"; // the tests end the runs they hold; a busy machine must not end them first
        _host = await EngineFixture.StartHostAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
    }
}

/// <summary>One tab cannot take the server: a cap on each session's live runs, and round-robin service when a pool is full.</summary>
[Collection(DockerCollection.Name)]
public sealed class FairnessTests(SmallEngineFixture fixture, ITestOutputHelper output) : IClassFixture<SmallEngineFixture>
{
    /// <summary>Holds its container until it is given a line: the test decides when each run ends.</summary>
    private const string Holder = "print('started', flush=True)\ninput()\nprint('done')";

    private static async Task<RunWatch> StartAsync(IEngineSession session, string code = Holder, string entry = "hold.py") =>
        new(await session.StartRunAsync(RunExtensions.Request(entry, code)));

    private static async Task<List<RunWatch>> StartHoldersAsync(IEngineSession session, int count)
    {
        var runs = new List<RunWatch>();
        for (var i = 0; i < count; i++)
        {
            runs.Add(await StartAsync(session));
        }

        return runs;
    }

    private static async Task EndAsync(RunWatch run)
    {
        await run.Run.WriteStdinAsync("\n");
        Assert.True((await run.CompletionAsync()).Succeeded, string.Join(" | ", run.Events));
    }

    [Fact]
    public async Task ASessionAtItsCap_ItsNextRunWaitsAndSaysSo_ThenStartsWhenOneOfItsOwnEnds()
    {
        await using var session = fixture.Engine.CreateSession();
        var running = await StartHoldersAsync(session, SmallEngineFixture.RunsPerSession);
        await Task.WhenAll(running.Select(r => r.WaitForStdoutAsync("started")));

        var fifth = await StartAsync(session);
        await fifth.WaitForStatusAsync($"this session already runs {SmallEngineFixture.RunsPerSession} programs");
        await Task.Delay(500);
        Assert.DoesNotContain("started", fifth.Stdout);

        await EndAsync(running[0]);
        await fifth.WaitForStdoutAsync("started");
        Assert.Equal("", fifth.Statuses[^1]); // it waits no more
        await Task.WhenAll(running.Skip(1).Append(fifth).Select(EndAsync));
    }

    [Fact]
    public async Task OneSessionRunningEndlessLoops_DoesNotDelayAnotherSessionsHelloWorld()
    {
        await using var loops = fixture.Engine.CreateSession();
        await using var other = fixture.Engine.CreateSession();
        var pool = fixture.Internal.Pools.Values.Single(p => p.Runtime.Name == "python");
        await WaitForWarmAsync(pool);

        // What the pool's reset costs here: from a run's verdict to its container being warm again.
        var quiet = Stopwatch.StartNew();
        Assert.True((await other.RunAsync("hello.py", "print('hello')")).Verdict.Succeeded);
        var quietHello = quiet.Elapsed;
        var resetting = Stopwatch.StartNew();
        await WaitForWarmAsync(pool);
        var reset = resetting.Elapsed;

        var endless = new List<RunWatch>();
        for (var i = 0; i < 20; i++)
        {
            endless.Add(await StartAsync(loops, "print('looping', flush=True)\nwhile True:\n    pass", "loop.py"));
        }

        await Task.WhenAll(endless.Take(SmallEngineFixture.RunsPerSession).Select(r => r.WaitForStdoutAsync("looping")));
        var busy = Stopwatch.StartNew();
        var hello = await other.RunAsync("hello.py", "print('hello')");
        var busyHello = busy.Elapsed;

        Assert.True(hello.Verdict.Succeeded, hello.ToString());
        output.WriteLine($"hello world: {quietHello.TotalMilliseconds:0} ms on a quiet engine, {busyHello.TotalMilliseconds:0} ms beside " +
                         $"20 loops of another session; the pool's reset: {reset.TotalMilliseconds:0} ms");
        var bound = quietHello + reset + TimeSpan.FromSeconds(2); // the slack covers a machine that four loops keep busy
        Assert.True(busyHello < bound,
            $"the hello world took {busyHello.TotalMilliseconds:0} ms beside 20 loops of another session; on a quiet engine " +
            $"{quietHello.TotalMilliseconds:0} ms, and the pool's reset {reset.TotalMilliseconds:0} ms");
        await loops.DisposeAsync(); // stops the loops
    }

    [Fact]
    public async Task AFullPool_ServesWaitingRunsRoundRobinAcrossSessions()
    {
        await using var a = fixture.Engine.CreateSession();
        await using var c = fixture.Engine.CreateSession();
        await using var d = fixture.Engine.CreateSession();
        await WaitForWarmAsync(fixture.Internal.Pools.Values.Single(p => p.Runtime.Name == "python"));
        var aRuns = await StartHoldersAsync(a, 4);
        await Task.WhenAll(aRuns.Select(r => r.WaitForStdoutAsync("started")));
        var cRuns = await StartHoldersAsync(c, 4); // one takes the last container; three wait, in this order
        await cRuns[0].WaitForStdoutAsync("started");
        await cRuns[3].WaitForStatusAsync("(2 ahead)");

        var d1 = await StartAsync(d);
        await d1.WaitForStatusAsync("(1 ahead)"); // behind c's first waiting run, before its other two
        await cRuns[3].WaitForStatusAsync("(3 ahead)");

        await EndAsync(aRuns[0]);
        await cRuns[1].WaitForStdoutAsync("started");
        await EndAsync(aRuns[1]);
        await d1.WaitForStdoutAsync("started");
        await Task.Delay(500);
        Assert.DoesNotContain("started", cRuns[2].Stdout);

        foreach (var run in aRuns.Skip(2).Concat(cRuns).Append(d1))
        {
            await run.Run.WriteStdinAsync("\n");
        }

        await Task.WhenAll(aRuns.Skip(2).Concat(cRuns).Append(d1).Select(r => r.CompletionAsync()));
    }

    [Fact]
    public async Task NetworkModeAtItsLimit_IsRefusedWithAMessage_UntilASessionLeavesIt()
    {
        var first = fixture.Engine.CreateSession();
        await using var second = fixture.Engine.CreateSession();
        Assert.True((await first.RunAsync("net.py", "print('on')", RunMode.Network)).Verdict.Succeeded);

        var refused = await Assert.ThrowsAsync<NetworkModeUnavailableException>(
            () => second.StartRunAsync(RunExtensions.Request("net.py", "print('on')", RunMode.Network)));
        Assert.Contains("Network mode is full: this server allows 1 sessions in network mode at once", refused.Message);
        Assert.True((await second.RunAsync("fast.py", "print('fast')")).Verdict.Succeeded); // fast mode still runs

        await first.DisposeAsync();
        var later = await second.RunAsync("net.py", "print('on')", RunMode.Network);
        Assert.True(later.Verdict.Succeeded, later.ToString());
    }

    private static async Task WaitForWarmAsync(WarmPool pool)
    {
        var clock = Stopwatch.StartNew();
        while (pool.IdleCount < SmallEngineFixture.Containers)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the python pool has {pool.IdleCount} warm containers");
            await Task.Delay(5);
        }
    }
}
