using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Testing;

namespace CodeRunner.Tests.Unit;

/// <summary>How what the agent reports about a case becomes its outcome, Judge0's status and a message.</summary>
public sealed class TestJudgeTests
{
    private static readonly TestCase Case = new() { Name = "sum", ExpectedOutput = "3\n" };
    private static readonly AgentLimits Limits = new(TimeSpan.FromSeconds(2), 1 << 20, TimeSpan.FromSeconds(1), 32L << 20);

    private static TestCaseResult Judge(int code = 0, int signal = 0, ExitFlags flags = ExitFlags.None, string stdout = "3\n", bool overCompared = false) =>
        TestJudge.Judge(0, Case, Limits, new AgentExit(code, signal, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(4), 1 << 20, flags, 0),
            new CaseOutput(stdout, "", overCompared, false));

    public static TheoryData<int, int, uint, string, TestOutcome, int, string, string?> Exits => new()
    {
        { 0, 0, (uint)ExitFlags.None, "3\n", TestOutcome.Passed, 3, "Accepted", null },
        { 0, 0, (uint)ExitFlags.None, "4\n", TestOutcome.WrongAnswer, 4, "Wrong answer", "first difference at line 1: expected \"3\", got \"4\"" },
        { 3, 0, (uint)ExitFlags.None, "3\n", TestOutcome.RuntimeError, 11, "Runtime error", "exit code 3" },
        { -1, 11, (uint)ExitFlags.None, "", TestOutcome.RuntimeError, 7, "Runtime error", "killed by signal 11 (segmentation fault)" },
        { -1, 8, (uint)ExitFlags.None, "", TestOutcome.RuntimeError, 9, "Runtime error", "killed by signal 8 (floating-point exception, such as a division by zero)" },
        { -1, 6, (uint)ExitFlags.None, "", TestOutcome.RuntimeError, 10, "Runtime error", "killed by signal 6 (aborted)" },
        { -1, 9, (uint)ExitFlags.TimedOut, "", TestOutcome.TimeLimit, 5, "Time limit exceeded", "still running after 2 s, so it was stopped" },
        { -1, 9, (uint)ExitFlags.CpuLimit, "", TestOutcome.TimeLimit, 5, "Time limit exceeded", "used more than 1 s of CPU time, so it was stopped" },
        { -1, 9, (uint)ExitFlags.OutOfMemory, "", TestOutcome.MemoryLimit, 12, "Memory limit exceeded", "used more than 32 MB of memory, so it was stopped" },
        { -1, 9, (uint)ExitFlags.OutputLimit, "3\n", TestOutcome.OutputLimit, 8, "Output limit exceeded", "printed more than 1 MB, so it was stopped" },
        { 127, 0, (uint)ExitFlags.SpawnFailed, "", TestOutcome.InternalError, 13, "Internal error", "the program could not be started: no reason was given" },
    };

    [Theory]
    [MemberData(nameof(Exits))]
    public void AnExit_BecomesItsOutcomeStatusAndMessage(int code, int signal, uint flags, string stdout, TestOutcome outcome, int judge0, string status, string? message)
    {
        var result = Judge(code, signal, (ExitFlags)flags, stdout);
        Assert.Equal((outcome, judge0, status, message), (result.Outcome, result.Judge0StatusId, result.Status, result.Message));
    }

    [Fact]
    public void ATimeoutWins_OverTheExitItCaused() =>
        Assert.Equal(TestOutcome.TimeLimit, Judge(-1, 9, ExitFlags.TimedOut | ExitFlags.OutOfMemory).Outcome);

    [Fact]
    public void OutputBeyondWhatIsCompared_IsAnOutputLimit() =>
        Assert.Equal(TestOutcome.OutputLimit, Judge(overCompared: true).Outcome);

    [Fact]
    public void KeptOutput_IsCapped_AndSaysSo()
    {
        var result = Judge(stdout: new string('x', TestRunLimits.MaxKeptChars + 10));
        Assert.Equal((TestRunLimits.MaxKeptChars, true), (result.Stdout.Length, result.OutputTruncated));
    }
}
