using System.Buffers;
using System.Text;
using System.Threading.Channels;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Notebooks;

/// <summary>
/// One life of a kernel's interpreter: a run with no timeout in the kernel's container. Turns its stdout into
/// <see cref="KernelMessage"/>s in order, ending with <see cref="KernelEnded"/>, and carries cells, input and interrupts to it.
/// </summary>
internal sealed class KernelProcess(RuntimeContainer container, long memoryLimitBytes, ILogger logger) : IAgentListener
{
    /// <summary>Most bytes one protocol line may hold (a cell's images are capped at 16 MiB, in base64).</summary>
    private const int MaxLineBytes = 32 * 1024 * 1024;

    /// <summary>Most of the interpreter's own stderr kept, to say why it could not start.</summary>
    private const int MaxDiagnosticsBytes = 4096;

    private readonly Channel<KernelMessage> _messages = Channel.CreateUnbounded<KernelMessage>();
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly StringBuilder _diagnostics = new();
    private bool _skippingLine;
    private uint _runId;
    private int _stopping;

    public RuntimeContainer Container => container;

    public ChannelReader<KernelMessage> Messages => _messages.Reader;

    /// <summary>Completes with the reason, as a sentence, when the process has ended.</summary>
    public Task<string> Ended => _ended.Task;

    /// <summary>What the agent reported at the end; null while it runs, or when the container was lost.</summary>
    public AgentExit? Exit { get; private set; }

    /// <summary>The engine ended it (a restart, the idle timeout, closing): its end is no death.</summary>
    public bool Stopping => Volatile.Read(ref _stopping) != 0;

    public async Task StartAsync(byte[] runFrame, CancellationToken cancellationToken)
    {
        _runId = await container.Agent.StartRunAsync(runFrame, this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a message of the engine's own among the interpreter's, after those received so far.</summary>
    public void Inject(KernelMessage message) => _messages.Writer.TryWrite(message);

    public ValueTask SendAsync(byte[] line, CancellationToken cancellationToken = default) =>
        SendFrameAsync(AgentProtocol.Stdin(_runId, line), cancellationToken);

    /// <summary>SIGINT to the interpreter: a <c>KeyboardInterrupt</c> in the running cell.</summary>
    public ValueTask InterruptAsync(CancellationToken cancellationToken = default) =>
        SendFrameAsync(AgentProtocol.Interrupt(_runId), cancellationToken);

    /// <summary>Kills the interpreter and waits for its end; false when the agent did not confirm it in time.</summary>
    public async Task<bool> StopAsync(TimeSpan patience)
    {
        Interlocked.Exchange(ref _stopping, 1);
        if (_ended.Task.IsCompleted)
        {
            return Exit is not null;
        }

        await SendFrameAsync(AgentProtocol.Kill(_runId)).ConfigureAwait(false);
        try
        {
            await _ended.Task.WaitAsync(patience).ConfigureAwait(false);
            return Exit is not null;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async ValueTask SendFrameAsync(byte[] frame, CancellationToken cancellationToken = default)
    {
        if (_ended.Task.IsCompleted)
        {
            return;
        }

        try
        {
            await container.Agent.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            Log.KernelSendFailed(logger, Log.Short(container.Id), ex.Message); // the end comes through OnAgentLost
        }
    }

    public void OnStep(int step)
    {
    }

    public void OnOutput(FrameType stream, ReadOnlySpan<byte> bytes)
    {
        if (stream == FrameType.Stderr)
        {
            // The interpreter's own stderr, before the kernel took fd 2 over: why it could not start, if it did not.
            lock (_diagnostics)
            {
                if (_diagnostics.Length < MaxDiagnosticsBytes)
                {
                    _diagnostics.Append(Encoding.UTF8.GetString(bytes));
                }
            }

            return;
        }

        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var part = newline < 0 ? bytes : bytes[..newline];
            if (!_skippingLine)
            {
                if (_line.WrittenCount + part.Length > MaxLineBytes)
                {
                    _skippingLine = true; // only the kernel's own messages are this long, and it caps them well below
                    _line.ResetWrittenCount();
                }
                else
                {
                    _line.Write(part);
                }
            }

            if (newline < 0)
            {
                return;
            }

            if (!_skippingLine && KernelWire.Parse(_line.WrittenSpan) is { } message)
            {
                _messages.Writer.TryWrite(message);
            }

            _line.ResetWrittenCount();
            _skippingLine = false;
            bytes = bytes[(newline + 1)..];
        }
    }

    public void OnExit(AgentExit exit)
    {
        Exit = exit;
        End(Describe(exit));
    }

    public void OnAgentLost(string reason) => End($"The kernel's container went away ({reason}).");

    private void End(string problem)
    {
        _messages.Writer.TryWrite(new KernelEnded(problem));
        _messages.Writer.TryComplete();
        _ended.TrySetResult(problem);
    }

    private string Describe(AgentExit exit)
    {
        if ((exit.Flags & ExitFlags.OutOfMemory) != 0)
        {
            return $"The kernel ran out of memory (it may use {memoryLimitBytes / (1024 * 1024)} MB) and was stopped; its variables are gone.";
        }

        string diagnostics;
        lock (_diagnostics)
        {
            diagnostics = _diagnostics.ToString().Trim();
        }

        var how = exit.Signal > 0 ? $"was killed by signal {exit.Signal}" : $"exited with code {exit.ExitCode}";
        return diagnostics.Length == 0 ? $"The kernel's process {how}; its variables are gone." : $"The kernel's process {how}: {diagnostics}";
    }
}
