using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Testing;

/// <summary>How a case's actual output is compared with its expected output.</summary>
public enum ComparisonMode
{
    /// <summary>Equal once trailing white space on each line and trailing empty lines are ignored (CRLF counts as LF). The default.</summary>
    TrimTrailing,

    /// <summary>Byte for byte.</summary>
    Exact,

    /// <summary>The same words, whatever white space separates them.</summary>
    Tokens,

    /// <summary>The same words, where numbers may differ by an absolute or a relative tolerance.</summary>
    Numbers,

    /// <summary>The expected output is a regular expression that must match the whole output.</summary>
    Regex,
}

/// <summary>How to compare one case's output: a mode and, for <see cref="ComparisonMode.Numbers"/>, its tolerances.</summary>
public sealed record OutputComparison
{
    public ComparisonMode Mode { get; init; } = ComparisonMode.TrimTrailing;

    /// <summary>For <see cref="ComparisonMode.Numbers"/>: numbers within this distance are equal.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-6;

    /// <summary>For <see cref="ComparisonMode.Numbers"/>: numbers within this fraction of the expected one are equal.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;
}

/// <summary>Limits for one run or one case; each null means the server's default, and none may exceed the server's ceiling.</summary>
public sealed record RunLimits
{
    public TimeSpan? WallTime { get; init; }
    public TimeSpan? CpuTime { get; init; }
    public long? MemoryBytes { get; init; }
    public long? OutputBytes { get; init; }
}

/// <summary>One test case: input, arguments, the expected output and how to compare it, and its limits.</summary>
public sealed record TestCase
{
    public required string Name { get; init; }
    public string Stdin { get; init; } = "";
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public required string ExpectedOutput { get; init; }
    public OutputComparison Comparison { get; init; } = new();
    public RunLimits Limits { get; init; } = new();
}

/// <summary>A program and the cases to run it against: compiled once, each case from the same workspace.</summary>
public sealed record TestRunRequest
{
    public required IReadOnlyList<SourceFile> Files { get; init; }
    public required string EntryFile { get; init; }
    public string? Language { get; init; }
    public required IReadOnlyList<TestCase> Cases { get; init; }
}

/// <summary>The result of one case, after Judge0's statuses.</summary>
public enum TestOutcome
{
    Passed,
    WrongAnswer,
    TimeLimit,
    MemoryLimit,
    RuntimeError,
    OutputLimit,
    CompileError,
    InternalError,
}

/// <summary>What one case did: its outcome, Judge0's status id, its output (capped), and its time and memory.</summary>
public sealed record TestCaseResult
{
    /// <summary>The case's position in the request, from 0.</summary>
    public int Index { get; init; }

    public required string Name { get; init; }
    public TestOutcome Outcome { get; init; }

    /// <summary>
    /// 3 Accepted, 4 Wrong Answer, 5 Time Limit Exceeded, 6 Compilation Error, 7-12 Runtime Error (SIGSEGV 7,
    /// SIGXFSZ 8, SIGFPE 9, SIGABRT 10, NZEC 11, Other 12), 13 Internal Error.
    /// </summary>
    public int Judge0StatusId { get; init; }

    /// <summary>Human text, such as "Wrong answer".</summary>
    public required string Status { get; init; }

    /// <summary>Detail, such as "exit code 3", "killed by signal 11 (segmentation fault)" or "first difference at line 2".</summary>
    public string? Message { get; init; }

    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";

    /// <summary>The stdout or stderr kept here is shorter than what the program wrote.</summary>
    public bool OutputTruncated { get; init; }

    public int? ExitCode { get; init; }
    public int? Signal { get; init; }
    public TimeSpan WallTime { get; init; }
    public TimeSpan CpuTime { get; init; }
    public long PeakMemoryBytes { get; init; }
}

/// <summary>The results of a test run, one per case in the request's order.</summary>
public sealed record TestRunResult
{
    public required IReadOnlyList<TestCaseResult> Cases { get; init; }
    public bool CompileFailed { get; init; }

    /// <summary>What the compiler wrote, when it failed.</summary>
    public string CompileOutput { get; init; } = "";
}

/// <summary>
/// A progress of <see cref="Sessions.IEngineSession.RunTestsAsync"/> that also hears what the test run waits for before
/// it starts, such as "waiting for a free python container (2 ahead)"; an empty text means it waits no more.
/// </summary>
public interface ITestRunProgress : IProgress<TestCaseResult>
{
    void Waiting(string status);
}
