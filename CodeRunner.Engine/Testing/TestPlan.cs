using System.Text;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;

namespace CodeRunner.Engine.Testing;

/// <summary>Bounds of a test run, and of what the engine keeps of each case.</summary>
public static class TestRunLimits
{
    public const int MaxCases = 1000;

    /// <summary>Of each case's stdout and stderr, this much is kept in its result.</summary>
    public const int MaxKeptChars = 64 * 1024;

    /// <summary>
    /// Of each case's stdout, this much is compared: the rest is dropped as it arrives, so that thirty students
    /// printing without end cannot exhaust the server's memory. A longer output is an output limit.
    /// </summary>
    public const int MaxComparedBytes = 4 * 1024 * 1024;
}

/// <summary>A checked test run: the program's plan (its compile steps and run step), and each case for the agent.</summary>
internal sealed record TestPlan(RunPlan Program, IReadOnlyList<TestCase> Cases, IReadOnlyList<AgentCase> AgentCases)
{
    /// <summary>Each case starts from these mounts as they were after compiling.</summary>
    private static readonly string[] Kept = [SandboxPaths.Workspace, SandboxPaths.Build];

    public byte[] ToFrame() => AgentProtocol.TestRunFrame(Program.Limits, Program.Steps, Program.Environment, Kept, AgentCases, Program.Files);

    /// <summary>How long the whole test run may take before the engine gives up on its agent.</summary>
    public TimeSpan Deadline => Program.Timeout + AgentCases.Aggregate(TimeSpan.Zero, (sum, c) => sum + c.Limits.Timeout + PerCaseOverhead);

    /// <summary>A case's reset and restore, and the drain of its output after it ends, with room for a loaded machine.</summary>
    private static readonly TimeSpan PerCaseOverhead = TimeSpan.FromSeconds(5);
}

/// <summary>Validates test-run requests and plans them; refuses with a sentence that says what to change.</summary>
internal static class TestPlanner
{
    public static TestPlan Plan(TestRunRequest request, RuntimeCatalog catalog, RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cases = request.Cases ?? throw new InvalidRunRequestException("The test run has no cases.");
        if (cases.Count is 0 or > TestRunLimits.MaxCases)
        {
            throw new InvalidRunRequestException($"A test run needs between 1 and {TestRunLimits.MaxCases} cases; this one has {cases.Count}.");
        }

        // The compile steps run under the server's own limits; each case under its own.
        var program = RunPlanner.Plan(request.Files, request.EntryFile, request.Language, [], null, catalog, limits);
        if (!program.Language.Runtime.IsSandbox)
        {
            throw new InvalidRunRequestException(
                $"Test cases cannot check {program.Language.DisplayName} yet: they give a program input and compare what it prints. Run the file instead.");
        }

        var runtime = program.Language.Runtime;
        var agentCases = new List<AgentCase>(cases.Count);
        long dataBytes = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i] ?? throw new InvalidRunRequestException($"Case {i + 1} is missing.");
            var what = string.IsNullOrWhiteSpace(c.Name) ? $"case {i + 1}" : $"case {i + 1} ('{c.Name}')";
            if (string.IsNullOrWhiteSpace(c.Name))
            {
                throw new InvalidRunRequestException($"Case {i + 1} has no name.");
            }

            if (c.ExpectedOutput is null)
            {
                throw new InvalidRunRequestException($"{Capital(what)} has no expected output.");
            }

            var arguments = c.Arguments ?? [];
            try
            {
                RunPlanner.CheckArguments(arguments);
            }
            catch (InvalidRunRequestException ex)
            {
                throw new InvalidRunRequestException($"{Capital(what)}: {ex.Message}");
            }

            var stdin = Encoding.UTF8.GetBytes(c.Stdin ?? "");
            dataBytes += stdin.Length + Encoding.UTF8.GetByteCount(c.ExpectedOutput);
            agentCases.Add(new AgentCase(LimitCeiling.Resolve(c.Limits, runtime, what), arguments, stdin));
        }

        if (dataBytes > limits.MaxTotalBytes)
        {
            throw new InvalidRunRequestException(
                $"The cases' input and expected output hold {RunPlanner.Megabytes(dataBytes)}; at most {RunPlanner.Megabytes(limits.MaxTotalBytes)} fit in one test run.");
        }

        return new TestPlan(program, cases, agentCases);
    }

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
