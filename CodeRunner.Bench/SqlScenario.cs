using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Bench;

/// <summary>
/// SQL runs (scripts/bench --sql): <c>SELECT 1</c> in a session whose database exists, against a fast-mode Python hello
/// world measured in the same run, and a new session's first SQL run, which makes its database.
/// Goals: the warm run at most fast-mode Python plus 15 ms; the first run under 500 ms.
/// </summary>
internal sealed class SqlScenario(IExecutionEngine engine, Figures figures, bool quick)
{
    private static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromMilliseconds(150);

    private int Runs => quick ? 5 : 50;
    private int Sessions => quick ? 3 : 12;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await using (var session = engine.CreateSession())
        {
            var python = await Scenarios.SequentialAsync(session, HelloWorlds.Request("python"), 1, Runs);
            figures.Add("sql_fast_python_p50_ms", Stats.Percentile(python, 50));
            await RunAsync(session, cancellationToken); // makes the session's database
            var runs = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                await Task.Delay(PauseBetweenRuns, cancellationToken);
                runs.Add(await RunAsync(session, cancellationToken));
            }

            var warm = Stats.Percentile(runs, 50);
            figures.Add("sql_select1_p50_ms", warm, baseline: "sql_fast_python_p50_ms");
            figures.Add("sql_select1_p95_ms", Stats.Percentile(runs, 95), baseline: "sql_fast_python_p50_ms");
            figures.Add("sql_select1_minus_fast_python_ms", warm - figures["sql_fast_python_p50_ms"]);
        }

        var firsts = new List<double>();
        for (var i = 0; i < Sessions; i++)
        {
            await Task.Delay(PauseBetweenRuns, cancellationToken);
            await using var session = engine.CreateSession();
            firsts.Add(await RunAsync(session, cancellationToken));
        }

        figures.Add("sql_first_run_p50_ms", Stats.Percentile(firsts, 50), baseline: "sql_fast_python_p50_ms");
        figures.Add("sql_first_run_max_ms", firsts.Max(), baseline: "sql_fast_python_p50_ms");
    }

    /// <summary>One <c>SELECT 1</c>, from the start-run call to the verdict.</summary>
    private static async Task<double> RunAsync(Engine.Sessions.IEngineSession session, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = await session.StartRunAsync(new RunRequest { EntryFile = "q.sql", Files = [SourceFile.Text("q.sql", "SELECT 1;\n")] }, cancellationToken);
        await foreach (var _ in run.Events.ReadAllAsync(cancellationToken))
        {
        }

        var verdict = await run.Completion;
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (!verdict.Succeeded)
        {
            throw new InvalidOperationException($"A benchmark SQL run failed: {verdict.Summary}");
        }

        return elapsed;
    }
}
