using System.Diagnostics;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

[Collection(DockerCollection.Name)]
public sealed class LimitTests(EngineFixture fixture)
{
    [Fact]
    public async Task Stop_KillsAnEndlessLoop()
    {
        await using var session = fixture.Engine.CreateSession();
        var run = await session.StartRunAsync(RunExtensions.Request("loop.py", "print('looping', flush=True)\nwhile True:\n    pass"));
        await run.WaitForStdoutAsync("looping");
        var stopped = Stopwatch.StartNew();
        await run.StopAsync();
        var verdict = await run.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(verdict.Stopped, verdict.Summary);
        Assert.False(verdict.TimedOut, verdict.Summary);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(3), $"stopping took {stopped.Elapsed}");
    }

    [Fact]
    public async Task Timeout_KillsALongSleep()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("sleep.py", "import time\ntime.sleep(600)");
        Assert.True(result.Verdict.TimedOut, result.ToString());
        Assert.Equal(9, result.Verdict.Signal); // SIGKILL
        Assert.InRange(result.Verdict.WallTime, TimeSpan.FromSeconds(EngineFixture.TimeoutSeconds),
            TimeSpan.FromSeconds(EngineFixture.TimeoutSeconds + 3));
    }

    [Fact]
    public async Task MemoryBomb_IsReportedAsOutOfMemory()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("bomb.py", "chunks = []\nwhile True:\n    chunks.append(b'x' * 8_000_000)");
        Assert.True(result.Verdict.OutOfMemory, result.ToString());
        Assert.False(result.Verdict.Succeeded);
    }

    [Fact]
    public async Task ForkBomb_IsContained_AndThePoolStillRuns()
    {
        await using var session = fixture.Engine.CreateSession();
        var bomb = await session.RunAsync("bomb.c", "#include <unistd.h>\nint main(void) { for (;;) fork(); }");
        Assert.False(bomb.Verdict.Succeeded, bomb.ToString());
        Assert.True(bomb.Verdict.TimedOut, bomb.ToString());
        Assert.Null(bomb.Verdict.Error); // the agent itself killed it and answered, rather than being given up on

        var next = await session.RunAsync("after.c", "#include <stdio.h>\nint main(void) { puts(\"still fine\"); return 0; }");
        Assert.True(next.Verdict.Succeeded, next.ToString());
        Assert.Equal("still fine\n", next.Stdout);
    }

    [Fact]
    public async Task EndlessOutput_HitsTheCap_AndIsKilled()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("spam.py", "while True:\n    print('x' * 99)");
        Assert.True(result.Verdict.OutputLimitExceeded, result.Verdict.Summary);
        Assert.False(result.Verdict.TimedOut, result.Verdict.Summary);
        Assert.InRange(result.Stdout.Length + result.Stderr.Length, 512 * 1024, 1024 * 1024);
    }

    [Fact]
    public async Task Verdict_CarriesExitCodeTimeAndMemory()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunAsync("exit.py", "import sys\nblock = bytearray(20_000_000)\nsys.exit(3)");
        Assert.Equal(3, result.Verdict.ExitCode);
        Assert.True(result.Verdict.PeakMemoryBytes > 20_000_000, result.Verdict.Summary);
        Assert.True(result.Verdict.WallTime > TimeSpan.Zero && result.Verdict.CpuTime > TimeSpan.Zero, result.Verdict.Summary);
    }
}
