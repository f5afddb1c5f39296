using CodeRunner.Classroom.Exercises;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Testing;
using CodeRunner.Web.Sessions;

namespace CodeRunner.Web.Exercises;

/// <summary>
/// How one case ended, as a page shows it. For a hidden case <see cref="Stdin"/>, <see cref="Expected"/>,
/// <see cref="Stdout"/>, <see cref="Stderr"/> and <see cref="Message"/> are null: the page cannot show what it never got.
/// </summary>
public sealed record CaseView(int Index, string Name, string Outcome, bool Visible, int Points, int Earned, string? Message,
    string? Stdin, string? Expected, string? Stdout, string? Stderr, bool OutputTruncated, int TimeMs, long MemoryBytes)
{
    public bool Passed => Outcome == ExerciseOutcomes.Passed;
}

/// <summary>What a Check, a Submit or a run of the reference solution gave.</summary>
public sealed record CheckReport(IReadOnlyList<CaseView> Cases, int Score, int MaxScore, bool CompileFailed, string CompileOutput,
    SubmissionSummary? Submission);

/// <summary>The outcome words of <c>data-outcome</c> and of stored results.</summary>
public static class ExerciseOutcomes
{
    public const string Passed = "passed";

    public static string Of(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => Passed,
        TestOutcome.WrongAnswer => "wrong-answer",
        TestOutcome.TimeLimit => "time-limit",
        TestOutcome.MemoryLimit => "memory-limit",
        TestOutcome.RuntimeError => "runtime-error",
        TestOutcome.OutputLimit => "output-limit",
        TestOutcome.CompileError => "compile-error",
        _ => "internal-error",
    };

    /// <summary>The words a person reads, such as "Wrong answer".</summary>
    public static string Label(string outcome) => outcome switch
    {
        Passed => "Passed",
        "wrong-answer" => "Wrong answer",
        "time-limit" => "Time limit",
        "memory-limit" => "Memory limit",
        "runtime-error" => "Runtime error",
        "output-limit" => "Output limit",
        "compile-error" => "Compile error",
        _ => "Internal error",
    };
}

/// <summary>
/// Runs an exercise's cases as one test run in the circuit's engine session, with the same pools, queueing and limits
/// as the student's ordinary runs: Check (the visible cases), Submit (every case, recorded), and the teacher's run of
/// the reference solution.
/// </summary>
public sealed class ExerciseChecks(CircuitSession session, IExerciseService exercises)
{
    /// <summary>Runs the visible cases on the student's files, or every case when <paramref name="submit"/>, and records a submission then.</summary>
    /// <exception cref="Classroom.ClassroomAccessException">The exercise is not published in the student's class.</exception>
    /// <exception cref="InvalidRunRequestException">The files cannot run as they are (the message says why).</exception>
    /// <param name="casesDone">Hears how many of how many cases have ended, as they end.</param>
    /// <param name="waiting">Hears what the run waits for before it starts (a free container), and "" once it waits no more.</param>
    public async Task<CheckReport> CheckAsync(Guid studentId, StudentExercise exercise, string entryFile,
        IReadOnlyDictionary<string, string> files, bool submit, Action<int, int>? casesDone = null, Action<string>? waiting = null,
        CancellationToken cancellationToken = default)
    {
        var cases = await exercises.CasesForRunAsync(studentId, exercise.Id, includeHidden: submit, cancellationToken);
        var report = await RunAsync(cases, exercise.Language, entryFile, files, casesDone, waiting, cancellationToken);
        if (!submit)
        {
            return report;
        }

        var records = report.Cases.Select(c => new CaseResultRecord(c.Index, c.Name, c.Outcome, c.Visible, c.Points, c.Earned,
            c.Message, c.Stdout, c.Stderr, c.TimeMs, c.MemoryBytes)).ToList();
        var submission = await exercises.RecordSubmissionAsync(studentId, exercise.Id,
            files.Select(f => (f.Key, f.Value)).ToList(), records, cancellationToken);
        return report with { Submission = submission };
    }

    /// <summary>Runs every case on the exercise's reference solution (its solution files over its starter files), for its teacher.</summary>
    public Task<CheckReport> RunSolutionAsync(ExerciseDraft draft, Action<int, int>? casesDone = null, CancellationToken cancellationToken = default)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, content) in draft.StarterFiles.Concat(draft.SolutionFiles))
        {
            files[path] = content;
        }

        return RunAsync(draft.Cases, draft.Language, draft.EntryFile, files, casesDone, waiting: null, cancellationToken, teacher: true);
    }

    private async Task<CheckReport> RunAsync(IReadOnlyList<CaseDraft> cases, string? language, string entryFile,
        IReadOnlyDictionary<string, string> files, Action<int, int>? casesDone, Action<string>? waiting, CancellationToken cancellationToken,
        bool teacher = false)
    {
        var done = 0;
        var progress = new CasesDone(() => casesDone?.Invoke(Interlocked.Increment(ref done), cases.Count), waiting);
        var request = new TestRunRequest
        {
            Files = files.Select(f => SourceFile.Text(f.Key, f.Value)).ToList(),
            EntryFile = entryFile,
            Language = language,
            Cases = cases.Select(ToTestCase).ToList(),
        };
        var result = await session.Session.RunTestsAsync(request, progress, cancellationToken);
        var views = result.Cases.Select(r => View(cases[r.Index], r, teacher)).ToList();
        return new CheckReport(views, views.Sum(v => v.Earned), cases.Sum(c => c.Points), result.CompileFailed,
            result.CompileOutput, Submission: null);
    }

    /// <summary>Counts cases as the engine reports them, on the engine's thread (not <see cref="Progress{T}"/>, which posts later).</summary>
    private sealed class CasesDone(Action ended, Action<string>? waiting) : ITestRunProgress
    {
        public void Report(TestCaseResult value) => ended();

        public void Waiting(string status) => waiting?.Invoke(status);
    }

    internal static TestCase ToTestCase(CaseDraft draft) => new()
    {
        Name = draft.Name,
        Stdin = draft.Stdin,
        ExpectedOutput = draft.ExpectedOutput,
        Comparison = new OutputComparison
        {
            Mode = draft.Comparison switch
            {
                CaseComparison.Exact => ComparisonMode.Exact,
                CaseComparison.Tokens => ComparisonMode.Tokens,
                CaseComparison.Numbers => ComparisonMode.Numbers,
                CaseComparison.Regex => ComparisonMode.Regex,
                _ => ComparisonMode.TrimTrailing,
            },
            AbsoluteTolerance = draft.AbsoluteTolerance,
            RelativeTolerance = draft.RelativeTolerance,
        },
        Limits = new RunLimits
        {
            CpuTime = draft.TimeLimitMs is { } cpu ? TimeSpan.FromMilliseconds(cpu) : null,
            MemoryBytes = draft.MemoryLimitMb is { } mb ? mb * 1024L * 1024L : null,
        },
    };

    /// <summary>What the page gets of a case: everything of a visible one (and of any for its teacher), only the outcome of a hidden one.</summary>
    internal static CaseView View(CaseDraft draft, TestCaseResult result, bool teacher)
    {
        var outcome = ExerciseOutcomes.Of(result.Outcome);
        var earned = result.Outcome == TestOutcome.Passed ? draft.Points : 0;
        var timeMs = (int)Math.Min(int.MaxValue, result.WallTime.TotalMilliseconds);
        return draft.Visible || teacher
            ? new CaseView(result.Index, draft.Name, outcome, draft.Visible, draft.Points, earned, result.Message, draft.Stdin,
                draft.ExpectedOutput, result.Stdout, result.Stderr, result.OutputTruncated, timeMs, result.PeakMemoryBytes)
            : new CaseView(result.Index, draft.Name, outcome, Visible: false, draft.Points, earned, Message: null, Stdin: null,
                Expected: null, Stdout: null, Stderr: null, OutputTruncated: false, timeMs, result.PeakMemoryBytes);
    }
}
