using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Runs;

namespace CodeRunner.Engine.Testing;

/// <summary>What one case printed, as far as the engine kept it.</summary>
internal sealed record CaseOutput(string Stdout, string Stderr, bool StdoutOverComparedBytes, bool Truncated);

/// <summary>Turns what the agent reported about a case into its outcome and Judge0's status: the one place that maps them.</summary>
internal static class TestJudge
{
    private const int Accepted = 3, WrongAnswer = 4, TimeLimit = 5, CompilationError = 6, Sigsegv = 7, Sigxfsz = 8,
        Sigfpe = 9, Sigabrt = 10, Nzec = 11, OtherRuntimeError = 12, InternalError = 13;

    public static TestCaseResult Judge(int index, TestCase c, AgentLimits limits, AgentExit exit, CaseOutput output, TimeSpan? regexTimeout = null)
    {
        var figures = Figures(index, c, exit, output);
        var flags = exit.Flags;
        if (flags.HasFlag(ExitFlags.SpawnFailed))
        {
            return figures with { Outcome = TestOutcome.InternalError, Judge0StatusId = InternalError, Status = "Internal error",
                Message = "the program could not be started: " + FirstLine(output.Stderr) };
        }

        if (flags.HasFlag(ExitFlags.TimedOut))
        {
            return figures with { Outcome = TestOutcome.TimeLimit, Judge0StatusId = TimeLimit, Status = "Time limit exceeded",
                Message = $"still running after {LimitCeiling.Seconds(limits.Timeout)}, so it was stopped" };
        }

        if (flags.HasFlag(ExitFlags.CpuLimit) || (limits.Cpu is not null && exit.Signal == 24))
        {
            return figures with { Outcome = TestOutcome.TimeLimit, Judge0StatusId = TimeLimit, Status = "Time limit exceeded",
                Message = $"used more than {LimitCeiling.Seconds(limits.Cpu ?? TimeSpan.Zero)} of CPU time, so it was stopped" };
        }

        if (flags.HasFlag(ExitFlags.OutOfMemory))
        {
            // Judge0 has no status of its own for memory: its runs end as a runtime error.
            var limit = limits.Memory is { } m ? $"more than {LimitCeiling.Bytes(m)} of memory" : "more memory than its container has";
            return figures with { Outcome = TestOutcome.MemoryLimit, Judge0StatusId = OtherRuntimeError, Status = "Memory limit exceeded",
                Message = $"used {limit}, so it was stopped" };
        }

        if (flags.HasFlag(ExitFlags.OutputLimit) || output.StdoutOverComparedBytes)
        {
            var limit = Math.Min(limits.OutputLimit, TestRunLimits.MaxComparedBytes);
            return figures with { Outcome = TestOutcome.OutputLimit, Judge0StatusId = Sigxfsz, Status = "Output limit exceeded",
                Message = $"printed more than {LimitCeiling.Bytes(limit)}, so it was stopped" };
        }

        if (exit.Signal > 0)
        {
            return figures with { Outcome = TestOutcome.RuntimeError, Judge0StatusId = SignalStatus(exit.Signal), Status = "Runtime error",
                Message = $"killed by signal {exit.Signal}{SignalName(exit.Signal)}" };
        }

        if (exit.ExitCode != 0)
        {
            return figures with { Outcome = TestOutcome.RuntimeError, Judge0StatusId = Nzec, Status = "Runtime error",
                Message = $"exit code {exit.ExitCode}" };
        }

        var comparison = OutputComparer.Compare(c.ExpectedOutput, output.Stdout, c.Comparison, regexTimeout);
        return comparison.Matches
            ? figures with { Outcome = TestOutcome.Passed, Judge0StatusId = Accepted, Status = "Accepted" }
            : figures with { Outcome = TestOutcome.WrongAnswer, Judge0StatusId = WrongAnswer, Status = "Wrong answer", Message = comparison.Difference };
    }

    /// <summary>Every case of a program that did not compile.</summary>
    public static TestCaseResult CompileError(int index, TestCase c, string message) =>
        NotRun(index, c, TestOutcome.CompileError, CompilationError, "Compilation error", message);

    /// <summary>A case the engine could not run: the container was lost, or the run ended before the case.</summary>
    public static TestCaseResult Internal(int index, TestCase c, string message) =>
        NotRun(index, c, TestOutcome.InternalError, InternalError, "Internal error", message);

    private static TestCaseResult NotRun(int index, TestCase c, TestOutcome outcome, int judge0, string status, string message) => new()
    {
        Index = index,
        Name = c.Name,
        Outcome = outcome,
        Judge0StatusId = judge0,
        Status = status,
        Message = message,
    };

    private static TestCaseResult Figures(int index, TestCase c, AgentExit exit, CaseOutput output) => new()
    {
        Index = index,
        Name = c.Name,
        Status = "",
        Stdout = Kept(output.Stdout),
        Stderr = Kept(output.Stderr),
        OutputTruncated = output.Truncated || output.Stdout.Length > TestRunLimits.MaxKeptChars || output.Stderr.Length > TestRunLimits.MaxKeptChars,
        ExitCode = exit.ExitCode >= 0 ? exit.ExitCode : null,
        Signal = exit.Signal > 0 ? exit.Signal : null,
        WallTime = exit.Wall,
        CpuTime = exit.Cpu,
        PeakMemoryBytes = exit.PeakRssBytes,
    };

    private static string Kept(string text) => text.Length > TestRunLimits.MaxKeptChars ? text[..TestRunLimits.MaxKeptChars] : text;

    private static int SignalStatus(int signal) => signal switch
    {
        11 => Sigsegv,
        25 => Sigxfsz,
        8 => Sigfpe,
        6 => Sigabrt,
        _ => OtherRuntimeError,
    };

    private static string SignalName(int signal) => signal switch
    {
        11 => " (segmentation fault)",
        8 => " (floating-point exception, such as a division by zero)",
        6 => " (aborted)",
        9 => " (killed)",
        7 => " (bus error)",
        4 => " (illegal instruction)",
        13 => " (broken pipe)",
        15 => " (terminated)",
        24 => " (CPU time limit)",
        25 => " (file size limit)",
        _ => "",
    };

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "no reason was given" : line;
    }
}
