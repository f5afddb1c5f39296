namespace CodeRunner.Engine.Runs;

/// <summary>How a run ended.</summary>
public sealed record RunVerdict
{
    /// <summary>The exit code of the last step that ran, or null when it was killed by a signal or never started.</summary>
    public int? ExitCode { get; init; }

    public int? Signal { get; init; }
    public TimeSpan WallTime { get; init; }
    public TimeSpan CpuTime { get; init; }
    public long PeakMemoryBytes { get; init; }
    public bool TimedOut { get; init; }
    public bool OutOfMemory { get; init; }
    public bool OutputLimitExceeded { get; init; }
    public bool Stopped { get; init; }
    public bool CompileFailed { get; init; }

    /// <summary>The files the run created or changed in its workspace, by path.</summary>
    public IReadOnlyList<OutputFile> OutputFiles { get; init; } = [];

    /// <summary>Set when files the run wrote were past the caps and did not come back.</summary>
    public OutputFilesLeftOut? OutputFilesLeftOut { get; init; }

    /// <summary>Set when the engine could not run the program at all, or lost it: a sentence a person can act on.</summary>
    public string? Error { get; init; }

    public bool Succeeded => Error is null && ExitCode == 0 && !TimedOut && !OutOfMemory && !OutputLimitExceeded && !Stopped;

    /// <summary>One line for the console, such as "exit code 0 · 0.05 s · CPU 0.04 s · 9 MB".</summary>
    public string Summary
    {
        get
        {
            if (Error is not null)
            {
                return Error;
            }

            var parts = new List<string>();
            if (TimedOut)
            {
                parts.Add("timed out");
            }

            if (OutOfMemory)
            {
                parts.Add("out of memory");
            }

            if (OutputLimitExceeded)
            {
                parts.Add("output limit reached");
            }

            if (Stopped)
            {
                parts.Add("stopped");
            }

            if (CompileFailed)
            {
                parts.Add("compilation failed");
            }

            parts.Add(ExitCode is { } code ? $"exit code {code}" : Signal is { } s and > 0 ? $"killed by signal {s}" : "did not start");
            parts.Add($"{WallTime.TotalSeconds:0.00} s");
            parts.Add($"CPU {CpuTime.TotalSeconds:0.00} s");
            if (PeakMemoryBytes > 0)
            {
                parts.Add($"{PeakMemoryBytes / (1024.0 * 1024.0):0.#} MB");
            }

            return string.Join(" · ", parts);
        }
    }
}
