using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;

namespace CodeRunner.Bench;

/// <summary>
/// Test runs (scripts/bench --testrun): 20 cases of a C program, correct and wrong, as one test run against 20
/// separate runs of the same program with the same input; then 30 students submitting 10 cases of a Python exercise
/// at once.
/// </summary>
internal sealed class TestRunScenario(IExecutionEngine engine, Figures figures, bool quick)
{
    private const string Doubler = """
        #include <stdio.h>
        int main(void) { long n; if (scanf("%ld", &n) != 1) return 2; printf("%ld\n", 2 * n + OFFSET); return 0; }
        """;

    private const string Adder = "a, b = map(int, input().split())\nprint(a + b)\n";

    private int CCases => quick ? 5 : 20;
    private int Repeats => quick ? 1 : 5;
    private int Students => quick ? 4 : 30;
    private int PythonCases => quick ? 3 : 10;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        // Both goals are for this machine: its load, from whatever else runs on it, says how far the figures carry.
        var loadBefore = ClassroomScenario.LoadAverage();
        await CProgramAsync(cancellationToken);
        await SubmissionsAsync(cancellationToken);
        Console.Error.WriteLine($"testrun: the machine's load average was {loadBefore} before, {ClassroomScenario.LoadAverage()} after");
    }

    private async Task CProgramAsync(CancellationToken cancellationToken)
    {
        await using var session = engine.CreateSession();
        var cases = Enumerable.Range(1, CCases).Select(i => new TestCase { Name = $"n={i}", Stdin = $"{i}\n", ExpectedOutput = $"{2 * i}\n" }).ToList();
        TestRunRequest Request(int offset) => new()
        {
            Files = [SourceFile.Text("main.c", Doubler.Replace("OFFSET", offset.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
            EntryFile = "main.c",
            Cases = cases,
        };

        // One of each first, so that neither figure pays for a cold compiler cache.
        Check(await session.RunTestsAsync(Request(0), cancellationToken: cancellationToken), TestOutcome.Passed);
        var correct = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < Repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            Check(await session.RunTestsAsync(Request(0), cancellationToken: cancellationToken), TestOutcome.Passed);
            correct.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Check(await session.RunTestsAsync(Request(1), cancellationToken: cancellationToken), TestOutcome.WrongAnswer);
            wrong.Add(clock.Elapsed.TotalMilliseconds);
        }

        // The same program and input as 20 ordinary runs, one after the other, each with its input given up front.
        var separate = new List<double>();
        for (var i = 0; i < Math.Max(1, Repeats / 2); i++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var c in cases)
            {
                var run = await session.StartRunAsync(new RunRequest { Files = Request(0).Files, EntryFile = "main.c", StdinText = c.Stdin }, cancellationToken);
                await foreach (var _ in run.Events.ReadAllAsync(cancellationToken))
                {
                }

                if (!(await run.Completion).Succeeded)
                {
                    throw new InvalidOperationException($"A separate run failed: {(await run.Completion).Summary}");
                }
            }

            separate.Add(clock.Elapsed.TotalMilliseconds);
        }

        figures.Add($"testrun_c_{CCases}_separate_runs_ms", Stats.Percentile(separate, 50));
        figures.Add($"testrun_c_{CCases}_correct_ms", Stats.Percentile(correct, 50), baseline: $"testrun_c_{CCases}_separate_runs_ms");
        figures.Add($"testrun_c_{CCases}_wrong_ms", Stats.Percentile(wrong, 50), baseline: $"testrun_c_{CCases}_separate_runs_ms");
    }

    private async Task SubmissionsAsync(CancellationToken cancellationToken)
    {
        var cases = Enumerable.Range(1, PythonCases).Select(i => new TestCase { Name = $"case {i}", Stdin = $"{i} {i * 3}\n", ExpectedOutput = $"{i * 4}\n" }).ToList();
        var request = new TestRunRequest { Files = [SourceFile.Text("main.py", Adder)], EntryFile = "main.py", Cases = cases };
        // One submission alone first: what each of the simultaneous ones would take on an idle machine.
        await using (var alone = engine.CreateSession())
        {
            var times = new List<double>();
            for (var i = 0; i < Repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                Check(await alone.RunTestsAsync(request, cancellationToken: cancellationToken), TestOutcome.Passed);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            figures.Add($"testrun_python_{PythonCases}_alone_ms", Stats.Percentile(times, 50));
        }

        // First from the pools as they are (3 warm containers, growing under the burst), then again while the grown
        // pool is still warm: a class that has been working for a while.
        await BurstAsync(request, "", cancellationToken);
        await BurstAsync(request, "_again", cancellationToken);
    }

    private async Task BurstAsync(TestRunRequest request, string suffix, CancellationToken cancellationToken)
    {
        var sessions = Enumerable.Range(0, Students).Select(_ => engine.CreateSession()).ToList();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var submissions = sessions.Select(async session =>
            {
                await start.Task;
                var clock = Stopwatch.StartNew();
                Check(await session.RunTestsAsync(request, cancellationToken: cancellationToken), TestOutcome.Passed);
                return clock.Elapsed.TotalMilliseconds;
            }).ToList();
            var all = Stopwatch.StartNew();
            start.SetResult();
            var latencies = await Task.WhenAll(submissions);
            var alone = $"testrun_python_{PythonCases}_alone_ms";
            figures.Add($"testrun_{Students}_submissions{suffix}_all_ms", all.Elapsed.TotalMilliseconds);
            figures.Add($"testrun_{Students}_submissions{suffix}_p50_ms", Stats.Percentile(latencies, 50), baseline: alone);
            figures.Add($"testrun_{Students}_submissions{suffix}_p95_ms", Stats.Percentile(latencies, 95), baseline: alone);
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static void Check(TestRunResult result, TestOutcome expected)
    {
        if (result.Cases.FirstOrDefault(c => c.Outcome != expected) is { } odd)
        {
            throw new InvalidOperationException($"Case '{odd.Name}' ended as {odd.Status} ({odd.Message}), not {expected}. {result.CompileOutput}");
        }
    }
}
