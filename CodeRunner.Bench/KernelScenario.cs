using System.Diagnostics;
using CodeRunner.Engine;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Bench;

/// <summary>
/// Notebook kernels (scripts/bench --kernel): a trivial cell (<c>1+1</c>) in a warm kernel against a trivial fast-mode
/// Python run measured in the same run, and the time from StartKernelAsync to a new kernel's first output.
/// Goals: a warm cell within 20 ms of the fast-mode run; a first cell within 1 s.
/// </summary>
internal sealed class KernelScenario(IExecutionEngine engine, Figures figures, bool quick)
{
    /// <summary>The pool replaces the container a kernel took in about a second; each new kernel then finds a warm one.</summary>
    private static readonly TimeSpan PauseBetweenKernels = TimeSpan.FromSeconds(4);

    private static readonly TimeSpan PauseBetweenCells = TimeSpan.FromMilliseconds(150);

    private int Cells => quick ? 5 : 50;
    private int Starts => quick ? 2 : 8;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var loadBefore = ClassroomScenario.LoadAverage();
        await using var session = engine.CreateSession();
        var runs = await Scenarios.SequentialAsync(session, HelloWorlds.Request("python"), 1, Cells);
        figures.Add("kernel_fast_python_p50_ms", Stats.Percentile(runs, 50));

        await using (var kernel = await session.StartKernelAsync(Request(), cancellationToken))
        {
            await CellAsync(kernel, cancellationToken); // the first cell waits for the interpreter to load
            var cells = new List<double>();
            for (var i = 0; i < Cells; i++)
            {
                await Task.Delay(PauseBetweenCells, cancellationToken);
                var clock = Stopwatch.StartNew();
                await CellAsync(kernel, cancellationToken);
                cells.Add(clock.Elapsed.TotalMilliseconds);
            }

            var cell = Stats.Percentile(cells, 50);
            figures.Add("kernel_cell_p50_ms", cell, baseline: "kernel_fast_python_p50_ms");
            figures.Add("kernel_cell_p95_ms", Stats.Percentile(cells, 95), baseline: "kernel_fast_python_p50_ms");
            figures.Add("kernel_cell_minus_fast_python_ms", cell - figures["kernel_fast_python_p50_ms"]);
        }

        var firsts = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            await Task.Delay(PauseBetweenKernels, cancellationToken);
            var clock = Stopwatch.StartNew();
            await using var kernel = await session.StartKernelAsync(Request(), cancellationToken);
            var output = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var result = kernel.ExecuteAsync("1+1", _ =>
            {
                output.TrySetResult();
                return ValueTask.CompletedTask;
            }, cancellationToken);
            await Task.WhenAny(output.Task, result);
            firsts.Add(clock.Elapsed.TotalMilliseconds);
            Check(await result);
        }

        figures.Add("kernel_first_output_p50_ms", Stats.Percentile(firsts, 50), baseline: "kernel_fast_python_p50_ms");
        figures.Add("kernel_first_output_max_ms", firsts.Max(), baseline: "kernel_fast_python_p50_ms");
        Console.Error.WriteLine($"kernel: the machine's load average was {loadBefore} before, {ClassroomScenario.LoadAverage()} after");
    }

    private static KernelRequest Request() => new() { NotebookPath = "bench.ipynb", Files = () => [SourceFile.Text("data.txt", "1 2 3\n")] };

    private static async Task CellAsync(INotebookKernel kernel, CancellationToken cancellationToken) =>
        Check(await kernel.ExecuteAsync("1+1", _ => ValueTask.CompletedTask, cancellationToken));

    private static void Check(CellResult result)
    {
        if (result.Status != CellStatus.Ok)
        {
            throw new InvalidOperationException($"A benchmark cell did not run: {result.Status} {result.Message}");
        }
    }
}
