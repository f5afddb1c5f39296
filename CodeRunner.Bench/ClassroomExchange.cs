using System.Diagnostics;
using System.Text.Json;

namespace CodeRunner.Bench;

/// <summary>What the benchmark asks of the class inside the web host: the join code, how many students, for how long.</summary>
internal sealed record ClassroomOrder(string JoinCode, int Students, double Seconds);

/// <summary>One run's verdict as the server knew it: when (Unix ms, the clock the browser's stamps use) and how it ended.</summary>
internal sealed record ClassroomVerdict(string Student, string File, string Expected, string Outcome, double AtUnixMs, double RunMs, string Summary);

/// <summary>What the class did inside the web host: every join and save timed, every verdict, and what went wrong.</summary>
internal sealed record ClassroomResults(
    IReadOnlyList<double> JoinMs,
    IReadOnlyList<double> SaveMs,
    IReadOnlyList<string> SaveProblems,
    IReadOnlyList<ClassroomVerdict> Verdicts,
    IReadOnlyList<string> RunsNotStarted);

/// <summary>
/// The benchmark and the class it drives inside the web host talk through files in one folder: the order, then the
/// results or the failure. The folder is named to the host in <see cref="FolderVariable"/>.
/// </summary>
internal sealed class ClassroomExchange(string folder)
{
    public const string FolderVariable = "CODERUNNER_BENCH_CLASSROOM";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private string ReadyFile => Path.Combine(folder, "ready");
    private string OrderFile => Path.Combine(folder, "order.json");
    private string ResultsFile => Path.Combine(folder, "results.json");
    private string FailureFile => Path.Combine(folder, "failure.txt");

    /// <summary>The class is in the web host and waits for its order.</summary>
    public Task ReadyAsync() => WriteAsync(ReadyFile, "");

    /// <summary>Fails at once, with a sentence that says why, when the startup hook did not bring the class into the host.</summary>
    public async Task WaitForReadyAsync(Func<string> hostOutput)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(ReadyFile))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException(
                    $"The web host did not load the classroom's startup hook (DOTNET_STARTUP_HOOKS) within 30 s. Web host output:\n{hostOutput()}");
            }

            await Task.Delay(Poll);
        }
    }

    public Task OrderAsync(ClassroomOrder order) => WriteAsync(OrderFile, JsonSerializer.Serialize(order));

    public async Task<ClassroomOrder> WaitForOrderAsync(CancellationToken cancellationToken)
    {
        while (!File.Exists(OrderFile))
        {
            await Task.Delay(Poll, cancellationToken);
        }

        return JsonSerializer.Deserialize<ClassroomOrder>(await File.ReadAllTextAsync(OrderFile, cancellationToken))!;
    }

    public Task ReportAsync(ClassroomResults results) => WriteAsync(ResultsFile, JsonSerializer.Serialize(results));

    public Task FailAsync(Exception exception) => WriteAsync(FailureFile, exception.ToString());

    /// <summary>The results, once written; throws with the host's reason when the class failed inside it.</summary>
    public async Task<ClassroomResults> WaitForResultsAsync(Func<string> hostOutput, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (!File.Exists(ResultsFile))
            {
                if (File.Exists(FailureFile))
                {
                    throw new InvalidOperationException($"The class failed inside the web host:\n{await File.ReadAllTextAsync(FailureFile, cancellationToken)}");
                }

                await Task.Delay(Poll, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The class gave no results within {timeout.TotalSeconds:0} s. Web host output:\n{hostOutput()}");
        }

        return JsonSerializer.Deserialize<ClassroomResults>(await File.ReadAllTextAsync(ResultsFile, cancellationToken))!;
    }

    /// <summary>Written whole, then renamed, so that the reader never sees half a file.</summary>
    private static async Task WriteAsync(string path, string text)
    {
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, text);
        File.Move(partial, path, overwrite: true);
    }
}
