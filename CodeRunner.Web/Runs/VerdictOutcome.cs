using CodeRunner.Engine.Runs;

namespace CodeRunner.Web.Runs;

/// <summary>How a run ended, in one word: the verdict's <c>data-outcome</c>, and what the roster records.</summary>
public static class VerdictOutcome
{
    public static string Of(RunVerdict verdict) => verdict switch
    {
        { Error: not null } => "error",
        { TimedOut: true } => "timed-out",
        { OutOfMemory: true } => "out-of-memory",
        { OutputLimitExceeded: true } => "output-limit",
        { Stopped: true } => "stopped",
        { CompileFailed: true } => "compile-failed",
        { Succeeded: true } => "succeeded",
        _ => "failed",
    };
}
