using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;
using CodeRunner.Tests.Infrastructure;
using CodeRunner.Web.Workspace;

namespace CodeRunner.Tests.Engine;

/// <summary>Test runs against the real Docker engine: each case's outcome, the workspace each case starts from, and the limits.</summary>
[Collection(DockerCollection.Name)]
public sealed class TestRunTests(EngineFixture fixture)
{
    /// <summary>
    /// One program per language that does what its first line of input says: sums, crashes, loops, or eats memory. The
    /// cases of one test run then cover every outcome, and show that no case stops the next.
    /// </summary>
    private static readonly Dictionary<string, (string Entry, string Code)> Solutions = new()
    {
        ["python"] = ("main.py", """
            import sys
            mode = sys.stdin.readline().strip()
            if mode == "sum":
                a, b = map(int, sys.stdin.readline().split())
                print(a + b)
            elif mode == "crash":
                sys.exit(3)
            elif mode == "loop":
                while True:
                    pass
            elif mode == "hog":
                chunks = []
                while True:
                    chunks.append(b"x" * (1 << 20))
            """),
        ["c"] = ("main.c", """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(void) {
                char mode[16];
                if (scanf("%15s", mode) != 1) return 2;
                if (!strcmp(mode, "sum")) { long a, b; if (scanf("%ld %ld", &a, &b) != 2) return 2; printf("%ld\n", a + b); return 0; }
                if (!strcmp(mode, "crash")) { volatile int *p = NULL; return *p; }
                if (!strcmp(mode, "loop")) { volatile unsigned long n = 0; for (;;) n++; }
                if (!strcmp(mode, "hog")) { for (;;) { char *p = malloc(1 << 20); if (p) memset(p, 1, 1 << 20); } }
                return 2;
            }
            """),
        ["java"] = ("Main.java", """
            import java.util.*;
            public class Main {
                public static void main(String[] args) {
                    Scanner in = new Scanner(System.in);
                    String mode = in.next();
                    if (mode.equals("sum")) { System.out.println(in.nextLong() + in.nextLong()); return; }
                    if (mode.equals("crash")) { throw new IllegalStateException("crashed on purpose"); }
                    if (mode.equals("loop")) { long n = 0; while (true) n++; }
                    if (mode.equals("hog")) { List<long[]> chunks = new ArrayList<>(); while (true) chunks.add(new long[1 << 17]); }
                }
            }
            """),
        ["csharp"] = ("Program.cs", """
            var mode = Console.ReadLine();
            if (mode == "sum") { var n = Console.ReadLine()!.Split(' ').Select(long.Parse).ToArray(); Console.WriteLine(n[0] + n[1]); }
            if (mode == "crash") { throw new InvalidOperationException("crashed on purpose"); }
            if (mode == "loop") { long n = 0; while (true) n++; }
            if (mode == "hog") { var chunks = new List<long[]>(); while (true) { var c = new long[1 << 17]; Array.Fill(c, 1); chunks.Add(c); } }
            """),
    };

    private static readonly RunLimits Short = new() { WallTime = TimeSpan.FromSeconds(2) };

    private static TestCase Case(string name, string stdin, string expected, RunLimits? limits = null) =>
        new() { Name = name, Stdin = stdin, ExpectedOutput = expected, Limits = limits ?? new RunLimits() };

    [Theory]
    [InlineData("python", 48)]
    [InlineData("c", 32)]
    [InlineData("java", 96)]
    [InlineData("csharp", 64)]
    public async Task EveryKindOfSolution_GetsItsOwnOutcome_AndNoCaseStopsTheNext(string language, int memoryMb)
    {
        await using var session = fixture.Engine.CreateSession();
        var (entry, code) = Solutions[language];
        var request = new TestRunRequest
        {
            Files = [SourceFile.Text(entry, code)],
            EntryFile = entry,
            Cases =
            [
                Case("correct", "sum\n1 2\n", "3\n"),
                Case("wrong", "sum\n2 2\n", "5\n"),
                Case("crashing", "crash\n", ""),
                Case("timing out", "loop\n", "", Short),
                Case("cpu-bound", "loop\n", "", new RunLimits { CpuTime = TimeSpan.FromSeconds(1) }),
                Case("memory-hungry", "hog\n", "", new RunLimits { MemoryBytes = memoryMb * 1024L * 1024 }),
                Case("correct after all that", "sum\n40 2\n", "42"),
            ],
        };

        var result = await session.RunTestsAsync(request).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(
            [TestOutcome.Passed, TestOutcome.WrongAnswer, TestOutcome.RuntimeError, TestOutcome.TimeLimit, TestOutcome.TimeLimit,
             TestOutcome.MemoryLimit, TestOutcome.Passed],
            result.Cases.Select(c => c.Outcome));
        Assert.Equal(Enumerable.Range(0, 7), result.Cases.Select(c => c.Index));
        Assert.Contains("line 1", result.Cases[1].Message);
        // A C program's null dereference is SIGSEGV (7); an unhandled .NET exception aborts the process, SIGABRT (10).
        Assert.Equal([3, 4, language switch { "c" => 7, "csharp" => 10, _ => 11 }, 5, 5, 12, 3], result.Cases.Select(c => c.Judge0StatusId));
    }

    [Theory]
    [InlineData("c")]
    [InlineData("java")]
    [InlineData("python")]
    [InlineData("csharp")]
    public async Task AnExerciseFolderInTheStarterProject_IsTestedAlone(string language)
    {
        // As a student has it: the IDE's starter project (a main per language) with the exercise in a folder of its own.
        await using var session = fixture.Engine.CreateSession();
        var (entry, code) = Solutions[language];
        var files = new StarterProject(fixture.Engine).Files.Select(f => SourceFile.Text(f.Path, f.Content)).Append(SourceFile.Text("exercise/" + entry, code)).ToList();

        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = files,
            EntryFile = "exercise/" + entry,
            Cases = [Case("one", "sum\n1 1\n", "2"), Case("two", "sum\n-5 5\n", "0")],
        });

        Assert.False(result.CompileFailed, result.CompileOutput);
        Assert.All(result.Cases, c => Assert.True(c.Outcome == TestOutcome.Passed, $"{c.Name}: {c.Status} {c.Message} {c.Stderr}"));
    }

    [Fact]
    public async Task CaseResults_CarryStatusesMessagesAndFigures()
    {
        await using var session = fixture.Engine.CreateSession();
        var (entry, code) = Solutions["c"];
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text(entry, code)],
            EntryFile = entry,
            Cases = [Case("sum", "sum\n3 4\n", "7"), Case("segfault", "crash\n", "")],
        });

        var (sum, crash) = (result.Cases[0], result.Cases[1]);
        Assert.Equal(("Accepted", 3, "7\n", 0), (sum.Status, sum.Judge0StatusId, sum.Stdout, sum.ExitCode));
        Assert.True(sum.WallTime > TimeSpan.Zero && sum.PeakMemoryBytes > 0, $"{sum.WallTime} {sum.PeakMemoryBytes}");
        Assert.Equal(("Runtime error", 7, 11), (crash.Status, crash.Judge0StatusId, crash.Signal));
        Assert.Equal("killed by signal 11 (segmentation fault)", crash.Message);
    }

    [Fact]
    public async Task ACaseThatWritesAndDeletesFiles_DoesNotAffectTheNextCase()
    {
        await using var session = fixture.Engine.CreateSession();
        const string code = """
            import os
            seen = "leaked" if os.path.exists("leak.txt") or os.path.exists("/tmp/leak") else "clean"
            data = open("data.txt").read().strip() if os.path.exists("data.txt") else "data.txt is gone"
            print(seen, data)
            open("leak.txt", "w").write("from an earlier case")
            open("/tmp/leak", "w").write("from an earlier case")
            os.remove("data.txt")
            """;
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", code), SourceFile.Text("data.txt", "original")],
            EntryFile = "main.py",
            Cases = [Case("first", "", "clean original"), Case("second", "", "clean original"), Case("third", "", "clean original")],
        });

        Assert.All(result.Cases, c => Assert.True(c.Outcome == TestOutcome.Passed, $"{c.Name}: {c.Status} {c.Message} stdout={c.Stdout} stderr={c.Stderr}"));
    }

    [Fact]
    public async Task ACaseThatDeletesTheCompiledProgram_DoesNotStopTheNextFromRunningIt()
    {
        await using var session = fixture.Engine.CreateSession();
        const string code = """
            #include <stdio.h>
            #include <unistd.h>
            int main(int argc, char **argv) { printf("ran\n"); return unlink(argv[0]) == 0 ? 0 : 1; }
            """;
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.c", code)],
            EntryFile = "main.c",
            Cases = [Case("first", "", "ran"), Case("second", "", "ran")],
        });

        Assert.Equal([TestOutcome.Passed, TestOutcome.Passed], result.Cases.Select(c => c.Outcome));
    }

    [Fact]
    public async Task ACompileError_GivesEveryCaseACompileError_AndTheCompilersOutputOnce()
    {
        await using var session = fixture.Engine.CreateSession();
        var reported = new ConcurrentBag<TestCaseResult>();
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.c", "int main(void) { return missing_symbol; }")],
            EntryFile = "main.c",
            Cases = [Case("one", "", "1"), Case("two", "", "2")],
        }, new SyncProgress(reported.Add));

        Assert.True(result.CompileFailed);
        Assert.Contains("missing_symbol", result.CompileOutput);
        Assert.All(result.Cases, c => Assert.Equal((TestOutcome.CompileError, 6), (c.Outcome, c.Judge0StatusId)));
        Assert.Equal(2, reported.Count);
    }

    [Fact]
    public async Task Arguments_FollowTheRunStep_InEveryCase()
    {
        await using var session = fixture.Engine.CreateSession();
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("args.py", "import sys\nprint(' | '.join(sys.argv[1:]))")],
            EntryFile = "args.py",
            Cases =
            [
                new TestCase { Name = "two", Arguments = ["a b", "é"], ExpectedOutput = "a b | é", Comparison = new() { Mode = ComparisonMode.Exact } },
                new TestCase { Name = "none", ExpectedOutput = "" },
            ],
        });

        Assert.Equal("a b | é\n", result.Cases[0].Stdout);
        Assert.Equal(TestOutcome.Passed, result.Cases[1].Outcome);
    }

    [Fact]
    public async Task Progress_HearsEachCaseAsItEnds()
    {
        await using var session = fixture.Engine.CreateSession();
        var heard = new ConcurrentQueue<(int Index, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        var result = await session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", "import time, sys\ntime.sleep(float(sys.stdin.read()))\nprint('ok')")],
            EntryFile = "main.py",
            Cases = [Case("quick", "0", "ok"), Case("slow", "1.5", "ok")],
        }, new SyncProgress(r => heard.Enqueue((r.Index, clock.Elapsed))));

        var finished = clock.Elapsed;
        Assert.Equal([0, 1], heard.Select(h => h.Index));
        Assert.True(finished - heard.First().At > TimeSpan.FromSeconds(1), $"the first case was heard at {heard.First().At}, the run ended at {finished}");
        Assert.All(result.Cases, c => Assert.Equal(TestOutcome.Passed, c.Outcome));
    }

    [Fact]
    public async Task ATestRunBehindTheSessionsCap_TellsItsProgressWhatItWaitsFor()
    {
        await using var session = fixture.Engine.CreateSession();
        var busy = new List<IRunHandle>();
        for (var i = 0; i < new CodeRunner.Engine.EngineOptions().MaxRunsPerSession; i++) // the fixture keeps the default cap
        {
            var run = await session.StartRunAsync(RunExtensions.Request($"busy{i}.py", "import time\nprint('busy', flush=True)\ntime.sleep(600)"));
            await run.WaitForStdoutAsync("busy");
            busy.Add(run);
        }

        var waits = new ConcurrentQueue<string>();
        var heard = new TaskCompletionSource();
        var testing = session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", "print(input())")],
            EntryFile = "main.py",
            Cases = [Case("echo", "hi", "hi")],
        }, new WaitingProgress(status =>
        {
            waits.Enqueue(status);
            heard.TrySetResult();
        }));
        await heard.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(testing.IsCompleted);
        foreach (var run in busy)
        {
            await run.StopAsync();
        }

        var result = await testing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(TestOutcome.Passed, Assert.Single(result.Cases).Outcome);
        Assert.Contains(waits, w => w.Contains("already runs", StringComparison.Ordinal));
        Assert.Equal("", waits.Last());
    }

    [Fact]
    public async Task Cancelling_KillsTheTestRun_AndTheSessionRunsOn()
    {
        await using var session = fixture.Engine.CreateSession();
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var running = session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", "import sys, time\nprint(sys.stdin.read())\nif sys.argv[1:]:\n    time.sleep(600)")],
            EntryFile = "main.py",
            Cases = [Case("quick", "x", "x"), new TestCase { Name = "endless", Arguments = ["sleep"], ExpectedOutput = "" }, Case("never", "y", "y")],
        }, new SyncProgress(_ => started.TrySetResult()), cancel.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelling took {clock.Elapsed}");

        var after = await session.RunAsync("after.py", "print('still works')");
        Assert.Equal("still works\n", after.Stdout);
    }

    [Fact]
    public async Task ALimitAboveTheCeiling_IsRefusedWithBothFigures_AndNothingRuns()
    {
        await using var session = fixture.Engine.CreateSession();
        var refused = await Assert.ThrowsAsync<LimitAboveCeilingException>(() => session.RunTestsAsync(new TestRunRequest
        {
            Files = [SourceFile.Text("main.py", "print(1)")],
            EntryFile = "main.py",
            Cases = [Case("fine", "", "1"), Case("greedy", "", "1", new RunLimits { WallTime = TimeSpan.FromSeconds(60) })],
        }));

        Assert.Equal($"Case 2 ('greedy'): a time limit of 60 s is above this server's ceiling of {EngineFixture.TimeoutSeconds} s; ask for {EngineFixture.TimeoutSeconds} s or less.",
            refused.Message);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("time")]
    [InlineData("output")]
    public async Task ARunAskingAboveTheCeiling_IsRefused(string limit)
    {
        await using var session = fixture.Engine.CreateSession();
        var request = RunExtensions.Request("main.py", "print(1)") with
        {
            Limits = limit switch
            {
                "memory" => new RunLimits { MemoryBytes = 4L << 30 },
                "time" => new RunLimits { CpuTime = TimeSpan.FromHours(1) },
                _ => new RunLimits { OutputBytes = 1L << 40 },
            },
        };

        var refused = await Assert.ThrowsAsync<LimitAboveCeilingException>(() => session.StartRunAsync(request));
        Assert.Contains("above this server's ceiling", refused.Message);
        Assert.IsAssignableFrom<ArgumentException>(refused);
    }

    [Fact]
    public async Task ARun_GetsItsArgumentsAndItsInputGivenUpFront_ThenEndOfInput()
    {
        await using var session = fixture.Engine.CreateSession();
        var request = RunExtensions.Request("main.py", "import sys\nprint(sys.argv[1:], repr(sys.stdin.read()))") with
        {
            Arguments = ["--name", "Ada Lovelace"],
            StdinText = "line 1\nline 2",
        };

        var result = await (await session.StartRunAsync(request)).CollectAsync();

        Assert.Equal("['--name', 'Ada Lovelace'] 'line 1\\nline 2'\n", result.Stdout);
    }

    [Fact]
    public async Task ARun_WithItsOwnCpuLimit_IsStoppedAsTimedOut()
    {
        await using var session = fixture.Engine.CreateSession();
        var request = RunExtensions.Request("spin.py", "while True:\n    pass") with { Limits = new RunLimits { CpuTime = TimeSpan.FromSeconds(1) } };

        var result = await (await session.StartRunAsync(request)).CollectAsync();

        Assert.True(result.Verdict.TimedOut, result.ToString());
        // Stopped by the agent's measurement, not by RLIMIT_CPU, its backstop a second later.
        Assert.InRange(result.Verdict.CpuTime, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task ARun_WithItsOwnMemoryLimit_IsStoppedAsOutOfMemory()
    {
        await using var session = fixture.Engine.CreateSession();
        var request = RunExtensions.Request("hog.py", "chunks = []\nwhile True:\n    chunks.append(b'x' * (1 << 20))") with
        {
            Limits = new RunLimits { MemoryBytes = 40L << 20 },
        };

        var result = await (await session.StartRunAsync(request)).CollectAsync();

        Assert.True(result.Verdict.OutOfMemory, result.ToString());
        // Stopped by its own limit, not the container's 128 MB. The agent measures every 20 ms, and this loop takes
        // 1-2 MB a millisecond: a busy machine that wakes the agent late lets it go well past 40 MB (84.6 MB seen).
        Assert.InRange(result.Verdict.PeakMemoryBytes, 40L << 20, 100L << 20);
    }

    /// <summary>Reports on the calling thread: <see cref="Progress{T}"/> would post to the thread pool, out of order.</summary>
    private sealed class SyncProgress(Action<TestCaseResult> report) : IProgress<TestCaseResult>
    {
        public void Report(TestCaseResult value) => report(value);
    }

    private sealed class WaitingProgress(Action<string> waiting) : ITestRunProgress
    {
        public void Report(TestCaseResult value)
        {
        }

        public void Waiting(string status) => waiting(status);
    }
}
