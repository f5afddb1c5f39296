using System.Buffers;
using System.Text;
using System.Threading.Channels;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Runs;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Testing;

/// <summary>
/// One test run in its container: keeps what the compiler and each case print (capped as it arrives), judges each
/// case off the agent's read loop as it ends, reports it, and gathers the result.
/// </summary>
internal sealed class TestRun : IAgentListener, IRunProgress, IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly TaskCompletionSource<AgentExit?> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<(int Index, AgentExit Exit, CaseOutput Output)> _ended = Channel.CreateUnbounded<(int, AgentExit, CaseOutput)>(new() { SingleReader = true, SingleWriter = true });
    private readonly TestCaseResult?[] _results;
    private readonly IProgress<TestCaseResult>? _progress;
    private readonly ILogger _logger;
    private readonly Task _judging;
    private readonly CappedBytes _compileOutput = new(TestRunLimits.MaxKeptChars);
    private readonly CappedBytes _stdout = new(TestRunLimits.MaxComparedBytes);
    private readonly CappedBytes _stderr = new(TestRunLimits.MaxKeptChars);
    private int _case = -1;
    private uint _caseFlags;
    private string? _lostReason;

    public TestRun(TestPlan plan, IProgress<TestCaseResult>? progress, ILogger logger)
    {
        Plan = plan;
        _progress = progress;
        _logger = logger;
        _results = new TestCaseResult?[plan.Cases.Count];
        Id = Guid.NewGuid().ToString("N")[..12];
        _judging = Task.Run(JudgeAsync);
    }

    public string Id { get; }

    public TestPlan Plan { get; }

    /// <summary>What the agent reported when the whole test run ended, or null when the agent was lost.</summary>
    public Task<AgentExit?> Exit => _exit.Task;

    /// <summary>The id the agent knows the run by, once started; 0 before.</summary>
    public uint AgentRunId { get; private set; }

    public async Task StartAsync(AgentConnection agent, CancellationToken cancellationToken)
    {
        AgentRunId = await agent.StartRunAsync(Plan.ToFrame(), this, cancellationToken).ConfigureAwait(false);
    }

    void IRunProgress.Say(string message)
    {
    }

    /// <summary>What the run waits for (a container, the session's cap), for a progress that wants to show it.</summary>
    void IRunProgress.Status(string status)
    {
        if (_progress is ITestRunProgress waiting)
        {
            try
            {
                waiting.Waiting(status);
            }
            catch (Exception ex)
            {
                Log.TestProgressFailed(_logger, Id, ex);
            }
        }
    }

    public void OnStep(int step)
    {
    }

    public void OnCase(int index)
    {
        _case = index;
        _stdout.Clear();
        _stderr.Clear();
    }

    public void OnOutput(FrameType stream, ReadOnlySpan<byte> bytes)
    {
        if (_case < 0)
        {
            _compileOutput.Append(bytes);
        }
        else
        {
            (stream == FrameType.Stdout ? _stdout : _stderr).Append(bytes);
        }
    }

    /// <summary>Whether a case that already ended reported any of these flags.</summary>
    public bool AnyCaseHad(ExitFlags flags) => (ExitFlags)Volatile.Read(ref _caseFlags) is var seen && (seen & flags) != 0;

    public void OnCaseExit(int index, AgentExit exit)
    {
        Interlocked.Or(ref _caseFlags, (uint)exit.Flags);
        var output = new CaseOutput(_stdout.Text(), _stderr.Text(), _stdout.Overflowed, _stderr.Overflowed);
        _ended.Writer.TryWrite((index, exit, output));
        _case = -1;
    }

    public void OnExit(AgentExit exit) => _exit.TrySetResult(exit);

    public void OnAgentLost(string reason)
    {
        Volatile.Write(ref _lostReason, reason);
        _exit.TrySetResult(null);
    }

    /// <summary>Judges each case as it ends, off the agent's read loop: a slow pattern never holds up the frames.</summary>
    private async Task JudgeAsync()
    {
        await foreach (var (index, exit, output) in _ended.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (index < 0 || index >= _results.Length)
            {
                continue;
            }

            Publish(TestJudge.Judge(index, Plan.Cases[index], Plan.AgentCases[index].Limits, exit, output));
        }
    }

    private void Publish(TestCaseResult result)
    {
        _results[result.Index] = result;
        try
        {
            _progress?.Report(result);
        }
        catch (Exception ex)
        {
            Log.TestProgressFailed(_logger, Id, ex);
        }
    }

    /// <summary>
    /// The result, once the agent's EXIT (or the loss of the agent, or <paramref name="failure"/>) ended the run: a
    /// case that never reported gets an internal error that says why.
    /// </summary>
    public async Task<TestRunResult> FinishAsync(AgentExit? exit, string? failure)
    {
        _ended.Writer.TryComplete();
        await _judging.ConfigureAwait(false);
        var compileOutput = _compileOutput.Text();
        var program = Plan.Program;
        var compileFailed = exit is { } e && program.HasCompileStep && e.Step < program.Steps.Count - 1
                            && _results.All(r => r is null) && (e.ExitCode != 0 || e.Flags.HasFlag(ExitFlags.TimedOut))
                            && !e.Flags.HasFlag(ExitFlags.SpawnFailed) && !e.Flags.HasFlag(ExitFlags.Killed);
        if (compileFailed)
        {
            var message = exit!.Value.Flags.HasFlag(ExitFlags.TimedOut)
                ? $"compiling took longer than {LimitCeiling.Seconds(program.Timeout)}"
                : "the program did not compile: see the compiler's output";
            for (var i = 0; i < _results.Length; i++)
            {
                Publish(TestJudge.CompileError(i, Plan.Cases[i], message));
            }

            return new TestRunResult { Cases = [.. _results.Select(r => r!)], CompileFailed = true, CompileOutput = compileOutput };
        }

        var why = failure
                  ?? (exit is null ? $"the {program.Language.DisplayName} container was lost during the run ({Volatile.Read(ref _lostReason)})" : null)
                  ?? FirstLine(compileOutput + _stderr.Text())
                  ?? "the test run ended before this case ran";
        for (var i = 0; i < _results.Length; i++)
        {
            if (_results[i] is null)
            {
                Publish(TestJudge.Internal(i, Plan.Cases[i], why));
            }
        }

        return new TestRunResult { Cases = [.. _results.Select(r => r!)], CompileOutput = compileOutput };
    }

    /// <summary>The agent's own account of why the run stopped ("coderunner: …"), when it gave one.</summary>
    private static string? FirstLine(string text)
    {
        var at = text.LastIndexOf("coderunner: ", StringComparison.Ordinal);
        return at < 0 ? null : text[(at + "coderunner: ".Length)..].Split('\n', 2)[0].Trim();
    }

    public void Dispose() => _ended.Writer.TryComplete();

    /// <summary>Bytes up to a cap; the rest is counted as dropped.</summary>
    private sealed class CappedBytes(int cap)
    {
        private readonly ArrayBufferWriter<byte> _bytes = new();

        public bool Overflowed { get; private set; }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            var room = cap - _bytes.WrittenCount;
            if (bytes.Length > room)
            {
                Overflowed = true;
                bytes = bytes[..Math.Max(room, 0)];
            }

            _bytes.Write(bytes);
        }

        public string Text() => Utf8.GetString(_bytes.WrittenSpan);

        public void Clear()
        {
            _bytes.ResetWrittenCount();
            Overflowed = false;
        }
    }
}
