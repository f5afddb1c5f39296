using System.Text;
using System.Threading.Channels;
using CodeRunner.Engine.Agent;

namespace CodeRunner.Engine.Runs;

/// <summary>
/// One run: turns agent frames into console events and a verdict, and carries stdin and stop requests to the agent.
/// Stdin written before the container is ready is kept (up to <see cref="MaxPendingStdinBytes"/>) and sent right after
/// the run starts. Every frame for the agent carries the run's id, so one that is late never reaches a later run.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "The UI may call Stop or WriteStdin on a handle long after its run ended; its semaphore and token source hold no timer or wait handle, so there is nothing to release.")]
internal sealed class Run : IRunHandle, IAgentListener, IRunProgress
{
    /// <summary>
    /// Most stdin kept for a run that has not started. A run can wait in a queue for a container, and what is typed
    /// meanwhile stays in the engine's memory: 64 KiB is far more than anyone types, and bounds what a script can pile up.
    /// </summary>
    public const int MaxPendingStdinBytes = 64 * 1024;

    /// <summary>Input given up front goes to the agent in frames of this size.</summary>
    private const int UpFrontChunkBytes = 1024 * 1024;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Channel<ConsoleEvent> _events = Channel.CreateUnbounded<ConsoleEvent>(new() { SingleReader = true });
    private readonly TaskCompletionSource<RunVerdict> _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AgentExit?> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly Decoder _stdout = Utf8.GetDecoder();
    private readonly Decoder _stderr = Utf8.GetDecoder();
    private readonly List<byte[]> _pendingStdin = [];
    private readonly object _decodeGate = new();
    private AgentConnection? _agent;
    private uint _agentRunId;
    private int _pendingStdinBytes;
    private bool _stdinClosed;
    private string? _lostReason;
    private readonly List<OutputFile> _outputFiles = [];
    private OutputFilesLeftOut? _outputFilesLeftOut;

    public Run(RunPlan plan)
    {
        Plan = plan;
        Id = Guid.NewGuid().ToString("N")[..12];
        if (plan.Stdin is { } stdin)
        {
            // Given up front: all of it goes with the run, then end-of-input, and nothing typed later reaches the program.
            for (var at = 0; at < stdin.Length; at += UpFrontChunkBytes)
            {
                _pendingStdin.Add(stdin.Slice(at, Math.Min(UpFrontChunkBytes, stdin.Length - at)).ToArray());
            }

            _stdinClosed = true;
        }
    }

    public RunPlan Plan { get; }
    public string Id { get; }
    public string Language => Plan.Language.Id;
    public string EntryFile => Plan.EntryFile;
    public ChannelReader<ConsoleEvent> Events => _events.Reader;
    public Task<RunVerdict> Completion => _verdict.Task;

    /// <summary>Cancelled when the user stops the run, so that waiting for a container ends too.</summary>
    public CancellationToken StopToken => _stop.Token;

    public bool StopRequested => _stop.IsCancellationRequested;

    /// <summary>What the agent reported at the end, or null when the agent was lost.</summary>
    public Task<AgentExit?> Exit => _exit.Task;

    public string? LostReason => Volatile.Read(ref _lostReason);

    /// <summary>The id the agent knows the run by, once started; 0 before.</summary>
    public uint AgentRunId => Volatile.Read(ref _agentRunId);

    public void System(string text) => _events.Writer.TryWrite(new ConsoleEvent(ConsoleStream.System, text));

    void IRunProgress.Say(string message) => System(message);

    void IRunProgress.Status(string status) => _events.Writer.TryWrite(new ConsoleEvent(ConsoleStream.Status, status));

    /// <summary>Sends the run to the agent, then any stdin already written.</summary>
    public async Task StartAsync(AgentConnection agent, CancellationToken cancellationToken = default)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var runId = await agent.StartRunAsync(Plan.ToRunFrame(), this, cancellationToken).ConfigureAwait(false);
            foreach (var bytes in _pendingStdin)
            {
                await agent.SendAsync(AgentProtocol.Stdin(runId, bytes), cancellationToken).ConfigureAwait(false);
            }

            if (_stdinClosed)
            {
                await agent.SendAsync(AgentProtocol.StdinEof(runId), cancellationToken).ConfigureAwait(false);
            }

            _pendingStdin.Clear();
            _pendingStdinBytes = 0;
            Volatile.Write(ref _agentRunId, runId);
            _agent = agent;
            if (_stop.IsCancellationRequested)
            {
                await agent.SendAsync(AgentProtocol.Kill(runId), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <exception cref="InputNotSentException">The run has not started and already holds <see cref="MaxPendingStdinBytes"/> of input.</exception>
    public ValueTask WriteStdinAsync(string text, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(text) ? ValueTask.CompletedTask : SendOrKeepAsync(FrameType.Stdin, Utf8.GetBytes(text), cancellationToken);

    public ValueTask CloseStdinAsync(CancellationToken cancellationToken = default) =>
        SendOrKeepAsync(FrameType.StdinEof, [], cancellationToken);

    public async ValueTask StopAsync(CancellationToken cancellationToken = default)
    {
        if (_exit.Task.IsCompleted)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await SendOrKeepAsync(FrameType.Kill, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends stdin, end-of-input or a kill to the agent; before the run starts, keeps stdin and end-of-input.</summary>
    private async ValueTask SendOrKeepAsync(FrameType type, byte[] bytes, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var isInput = type != FrameType.Kill;
            if (_exit.Task.IsCompleted || _stdinClosed && isInput)
            {
                return; // the program is gone, or its input was already closed
            }

            if (_agent is null)
            {
                // A kill needs no keeping: StartAsync sees the stop token.
                if (type == FrameType.Stdin)
                {
                    Keep(bytes);
                }

                _stdinClosed |= type == FrameType.StdinEof;
                return;
            }

            _stdinClosed |= type == FrameType.StdinEof;
            var frame = type switch
            {
                FrameType.Stdin => AgentProtocol.Stdin(_agentRunId, bytes),
                FrameType.StdinEof => AgentProtocol.StdinEof(_agentRunId),
                _ => AgentProtocol.Kill(_agentRunId),
            };
            try
            {
                await _agent.SendAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The agent is gone; the run ends through OnAgentLost.
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private void Keep(byte[] bytes)
    {
        if (_pendingStdinBytes + bytes.Length > MaxPendingStdinBytes)
        {
            throw new InputNotSentException(
                $"the program has not started yet, and at most {MaxPendingStdinBytes / 1024} KB of input can wait for it " +
                $"({(_pendingStdinBytes + bytes.Length + 1023) / 1024} KB with this). Send the rest once it is running.");
        }

        _pendingStdin.Add(bytes);
        _pendingStdinBytes += bytes.Length;
    }

    public void OnStep(int step)
    {
        if (step == 0 && Plan.HasCompileStep)
        {
            System("compiling…");
        }
    }

    public void OnOutput(FrameType stream, ReadOnlySpan<byte> bytes)
    {
        var isStdout = stream == FrameType.Stdout;
        string text;
        lock (_decodeGate)
        {
            text = Decode(isStdout ? _stdout : _stderr, bytes, flush: false);
        }

        if (text.Length > 0)
        {
            _events.Writer.TryWrite(new ConsoleEvent(isStdout ? ConsoleStream.Stdout : ConsoleStream.Stderr, text));
        }
    }

    public void OnImage(ReadOnlySpan<byte> png) => _events.Writer.TryWrite(ConsoleEvent.Image(png.ToArray()));

    public void OnExit(AgentExit exit) => _exit.TrySetResult(exit);

    public void OnOutputFile(string path, byte[] content)
    {
        lock (_outputFiles)
        {
            // A path the project could not hold (too deep, too long, a character Windows refuses) is left out, and counted.
            if (ProjectPathRules.Problem(path) is null)
            {
                _outputFiles.Add(new OutputFile(path, content));
            }
            else
            {
                AddLeftOut(new OutputFilesLeftOut(1, content.Length, OutputFileCaps.Path));
            }
        }
    }

    public void OnOutputFilesLeftOut(OutputFilesLeftOut leftOut)
    {
        lock (_outputFiles)
        {
            AddLeftOut(leftOut);
        }
    }

    private void AddLeftOut(OutputFilesLeftOut more) => _outputFilesLeftOut = _outputFilesLeftOut is { } l
        ? new OutputFilesLeftOut(l.Count + more.Count, l.Bytes + more.Bytes, l.Caps | more.Caps)
        : more;

    public void OnAgentLost(string reason)
    {
        Volatile.Write(ref _lostReason, reason);
        _exit.TrySetResult(null);
    }

    /// <summary>Publishes the verdict after the last output, and ends the event stream.</summary>
    public void Complete(RunVerdict verdict)
    {
        lock (_decodeGate)
        {
            foreach (var (decoder, stream) in new[] { (_stdout, ConsoleStream.Stdout), (_stderr, ConsoleStream.Stderr) })
            {
                var tail = Decode(decoder, [], flush: true);
                if (tail.Length > 0)
                {
                    _events.Writer.TryWrite(new ConsoleEvent(stream, tail));
                }
            }
        }

        _exit.TrySetResult(null);
        _events.Writer.TryComplete();
        _verdict.TrySetResult(verdict);
    }

    /// <summary>The verdict for what the agent reported.</summary>
    public RunVerdict VerdictFor(AgentExit exit) => new()
    {
        ExitCode = exit.ExitCode >= 0 ? exit.ExitCode : null,
        Signal = exit.Signal > 0 ? exit.Signal : null,
        WallTime = exit.Wall,
        CpuTime = exit.Cpu,
        PeakMemoryBytes = exit.PeakRssBytes,
        TimedOut = (exit.Flags & (ExitFlags.TimedOut | ExitFlags.CpuLimit)) != 0,
        OutOfMemory = exit.Flags.HasFlag(ExitFlags.OutOfMemory),
        OutputLimitExceeded = exit.Flags.HasFlag(ExitFlags.OutputLimit),
        Stopped = exit.Flags.HasFlag(ExitFlags.Killed),
        CompileFailed = Plan.HasCompileStep && exit.Step == 0 && exit.ExitCode != 0
                        && (exit.Flags & ~ExitFlags.SpawnFailed) == ExitFlags.None,
        OutputFiles = OutputFilesByPath(),
        OutputFilesLeftOut = OutputFilesLeftOut(),
    };

    private List<OutputFile> OutputFilesByPath()
    {
        lock (_outputFiles)
        {
            return _outputFiles.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        }
    }

    private OutputFilesLeftOut? OutputFilesLeftOut()
    {
        lock (_outputFiles)
        {
            return _outputFilesLeftOut;
        }
    }

    private static string Decode(Decoder decoder, ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        var count = decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, count);
    }
}
