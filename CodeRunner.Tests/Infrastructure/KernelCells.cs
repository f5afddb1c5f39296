using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>What a cell gave: its result and its outputs in order.</summary>
public sealed record CellRun(CellResult Result, IReadOnlyList<KernelOutput> Outputs)
{
    public string Stream(string name) => string.Concat(Outputs.OfType<StreamOutput>().Where(s => s.Name == name).Select(s => s.Text));

    public string Stdout => Stream("stdout");

    /// <summary>The cell's execute_result, if it had one.</summary>
    public DisplayOutput? ExecuteResult => Outputs.OfType<DisplayOutput>().SingleOrDefault(d => d.IsResult);

    public override string ToString() =>
        $"{Result}\n" + string.Join("\n", Outputs.Select(o => o is ErrorOutput e ? $"{e.Name}: {e.Value}\n{string.Join("\n", e.Traceback)}" : o.ToString()));
}

public static class KernelCells
{
    public static KernelRequest Request(string notebookPath = "notebook.ipynb", params (string Path, string Text)[] files) => new()
    {
        NotebookPath = notebookPath,
        Files = () => files.Select(f => SourceFile.Text(f.Path, f.Text)).ToList(),
    };

    /// <summary>Runs a cell and collects its outputs; <paramref name="onOutput"/> sees each as it comes.</summary>
    public static async Task<CellRun> RunAsync(this INotebookKernel kernel, string code, Func<KernelOutput, ValueTask>? onOutput = null,
        TimeSpan? timeout = null)
    {
        var outputs = new List<KernelOutput>();
        var result = await kernel.ExecuteAsync(code, async o =>
        {
            lock (outputs)
            {
                outputs.Add(o);
            }

            if (onOutput is not null)
            {
                await onOutput(o);
            }
        }).WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        lock (outputs)
        {
            return new CellRun(result, outputs.ToList());
        }
    }

    /// <summary>Waits until the kernel is in <paramref name="state"/>.</summary>
    public static async Task WaitForStateAsync(this INotebookKernel kernel, KernelState state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (kernel.State != state)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The kernel stayed {kernel.State} ({kernel.Problem}) instead of becoming {state}.");
            }

            await Task.Delay(50);
        }
    }
}
