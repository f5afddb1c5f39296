using System.Text;
using CodeRunner.Engine;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;
using CodeRunner.Web.Runs;

namespace CodeRunner.Web.Api;

/// <summary>
/// Runs an API program in an engine session of its own, made for the run and disposed after it, so that API runs are
/// queued fairly beside the IDE's sessions and nothing of one outlives it.
/// </summary>
public sealed class ApiRunner(IExecutionEngine engine)
{
    /// <summary>Most characters of stdout and of stderr kept in an answer; the engine's output limit usually stops a program first.</summary>
    public const int MaxKeptChars = 1024 * 1024;

    /// <summary>
    /// Starts the program and returns once the engine has accepted it (its checks throw here, before anything runs);
    /// the task completes with the result and never faults.
    /// </summary>
    public async Task<Task<ApiRunResult>> StartAsync(string id, ApiProgram program, CancellationToken cancellationToken)
    {
        var session = engine.CreateSession();
        try
        {
            if (program.Cases is null)
            {
                var handle = await session.StartRunAsync(program.Run, cancellationToken);
                return FinishAsync(session, CollectAsync(id, handle, cancellationToken));
            }

            return FinishAsync(session, TestAsync(id, program, session, cancellationToken));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    private static async Task<ApiRunResult> FinishAsync(IAsyncDisposable session, Task<ApiRunResult> run)
    {
        try
        {
            return await run;
        }
        finally
        {
            await session.DisposeAsync();
        }
    }

    private static async Task<ApiRunResult> CollectAsync(string id, IRunHandle handle, CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var stop = cancellationToken.Register(() => _ = handle.StopAsync(CancellationToken.None).AsTask());
        await foreach (var e in handle.Events.ReadAllAsync(CancellationToken.None))
        {
            var into = e.Stream switch { ConsoleStream.Stdout => stdout, ConsoleStream.Stderr => stderr, _ => null };
            if (into is not null && into.Length < MaxKeptChars)
            {
                into.Append(e.Text.AsSpan(0, Math.Min(e.Text.Length, MaxKeptChars - into.Length)));
            }
        }

        var verdict = await handle.Completion;
        return Finished(id, handle.Language, verdict) with { Stdout = stdout.ToString(), Stderr = stderr.ToString() };
    }

    private static async Task<ApiRunResult> TestAsync(string id, ApiProgram program, Engine.Sessions.IEngineSession session,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await session.RunTestsAsync(program.TestRun, cancellationToken: cancellationToken);
            return Tested(id, program.Run.Language, result);
        }
        catch (Exception ex) when (ex is InvalidRunRequestException or LimitAboveCeilingException or RuntimeUnavailableException)
        {
            return Failed(id, program.Run.Language, ex.Message);
        }
        catch (OperationCanceledException)
        {
            return Failed(id, program.Run.Language, "The run was stopped: the server is shutting down.") with { Verdict = "stopped" };
        }
    }

    public static ApiRunResult Running(string id, string? language) => new() { Id = id, Status = "running", Language = language };

    public static ApiRunResult Failed(string id, string? language, string message) =>
        new() { Id = id, Status = "finished", Language = language, Verdict = "error", Message = message };

    public static ApiRunResult Finished(string id, string? language, RunVerdict verdict) => new()
    {
        Id = id,
        Status = "finished",
        Language = language,
        Verdict = VerdictOutcome.Of(verdict),
        Message = verdict.Summary,
        ExitCode = verdict.ExitCode,
        Signal = verdict.Signal is > 0 ? verdict.Signal : null,
        TimeSeconds = verdict.WallTime.TotalSeconds,
        CpuTimeSeconds = verdict.CpuTime.TotalSeconds,
        MemoryBytes = verdict.PeakMemoryBytes,
    };

    private static ApiRunResult Tested(string id, string? language, TestRunResult result)
    {
        var cases = result.Cases.Select(c => new ApiCaseResult
        {
            Name = c.Name,
            Outcome = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(c.Outcome.ToString()),
            Passed = c.Outcome == TestOutcome.Passed,
            Judge0StatusId = c.Judge0StatusId,
            Status = c.Status,
            Message = c.Message,
            Stdout = c.Stdout,
            Stderr = c.Stderr,
            OutputTruncated = c.OutputTruncated,
            ExitCode = c.ExitCode,
            Signal = c.Signal,
            TimeSeconds = c.WallTime.TotalSeconds,
            CpuTimeSeconds = c.CpuTime.TotalSeconds,
            MemoryBytes = c.PeakMemoryBytes,
        }).ToList();
        var passed = cases.Count(c => c.Passed);
        return new ApiRunResult
        {
            Id = id,
            Status = "finished",
            Language = language,
            Verdict = result.CompileFailed ? "compile-failed" : passed == cases.Count ? "passed" : "failed",
            Message = result.CompileFailed ? "The program did not compile: see compileOutput." : $"{passed} of {cases.Count} cases passed",
            CompileOutput = result.CompileFailed ? result.CompileOutput : null,
            TimeSeconds = result.Cases.Sum(c => c.WallTime.TotalSeconds),
            CpuTimeSeconds = result.Cases.Sum(c => c.CpuTime.TotalSeconds),
            MemoryBytes = result.Cases.Select(c => c.PeakMemoryBytes).DefaultIfEmpty().Max(),
            Cases = cases,
        };
    }
}
