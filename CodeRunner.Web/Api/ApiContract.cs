using System.ComponentModel;

namespace CodeRunner.Web.Api;

/// <summary>A run asked of <c>POST /api/v1/runs</c> (and the first message of the stream).</summary>
public sealed record ApiRunRequest
{
    [Description("A language id of GET /api/v1/languages, such as python; left out, the entry file's extension decides.")]
    public string? Language { get; init; }

    [Description("The program's files, with relative paths.")]
    public List<ApiFile>? Files { get; init; }

    [Description("The file to run; may be left out when there is one file.")]
    public string? Entry { get; init; }

    [Description("The whole input, followed by end-of-input; left out, the program reads end-of-input at once (the stream keeps stdin open instead).")]
    public string? Stdin { get; init; }

    [Description("Command-line arguments after those of the runtime's run step.")]
    public List<string>? Args { get; init; }

    public ApiLimits? Limits { get; init; }

    [Description("When given, the program is compiled once and run against each case, and the answer carries a result per case.")]
    public List<ApiTestCase>? TestCases { get; init; }
}

/// <summary>A file of the program: a relative path and its text.</summary>
public sealed record ApiFile
{
    public string? Path { get; init; }
    public string? Content { get; init; }
}

/// <summary>Limits of a run; each left out is the server's own, and none may exceed the server's ceiling.</summary>
public sealed record ApiLimits
{
    [Description("Wall-clock time, in seconds.")]
    public double? TimeSeconds { get; init; }

    [Description("CPU time, in seconds.")]
    public double? CpuTimeSeconds { get; init; }

    public int? MemoryMb { get; init; }
    public int? OutputKb { get; init; }
}

/// <summary>A test case: its input, arguments and expected output, and how to compare.</summary>
public sealed record ApiTestCase
{
    public string? Name { get; init; }
    public string? Input { get; init; }
    public List<string>? Args { get; init; }
    public string? ExpectedOutput { get; init; }

    [Description("trimTrailing (the default), exact, tokens, numbers or regex.")]
    public string? Comparison { get; init; }

    public ApiLimits? Limits { get; init; }
}

/// <summary>A run's state and, once finished, its verdict, output and figures.</summary>
public sealed record ApiRunResult
{
    public required string Id { get; init; }

    [Description("running or finished.")]
    public required string Status { get; init; }

    public string? Language { get; init; }

    [Description("Without test cases: succeeded, failed, compile-failed, timed-out, out-of-memory, output-limit, stopped or error. With test cases: passed (every case), failed or compile-failed.")]
    public string? Verdict { get; init; }

    [Description("One line, such as 'exit code 0 · 0.05 s · CPU 0.04 s · 9 MB', or why the run could not be done.")]
    public string? Message { get; init; }

    public int? ExitCode { get; init; }
    public int? Signal { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";

    [Description("What the compiler wrote, for test runs that did not compile.")]
    public string? CompileOutput { get; init; }

    public double TimeSeconds { get; init; }
    public double CpuTimeSeconds { get; init; }
    public long MemoryBytes { get; init; }

    public List<ApiCaseResult>? Cases { get; init; }
}

/// <summary>What one test case did.</summary>
public sealed record ApiCaseResult
{
    public required string Name { get; init; }

    [Description("passed, wrongAnswer, timeLimit, memoryLimit, runtimeError, outputLimit, compileError or internalError.")]
    public required string Outcome { get; init; }

    public bool Passed { get; init; }
    public int Judge0StatusId { get; init; }
    public required string Status { get; init; }
    public string? Message { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public bool OutputTruncated { get; init; }
    public int? ExitCode { get; init; }
    public int? Signal { get; init; }
    public double TimeSeconds { get; init; }
    public double CpuTimeSeconds { get; init; }
    public long MemoryBytes { get; init; }
}

/// <summary>A language of <c>GET /api/v1/languages</c>.</summary>
public sealed record ApiLanguage(string Id, string Name, IReadOnlyList<string> Extensions, bool Available, string? Problem);

/// <summary>The answer of <c>POST /api/v1/runs?wait=false</c>: where to poll.</summary>
public sealed record ApiRunAccepted(string Id, string Status, string Location);
