using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using CodeRunner.Engine.Runs;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Agent;

/// <summary>Receives what the agent reports about the run in progress.</summary>
internal interface IAgentListener
{
    void OnStep(int step);

    void OnOutput(FrameType stream, ReadOnlySpan<byte> bytes);

    void OnExit(AgentExit exit);

    /// <summary>The program showed an image (a PNG), in order with its output; a test run ignores it.</summary>
    void OnImage(ReadOnlySpan<byte> png)
    {
    }

    /// <summary>A test run's case started (every output frame until its CASE_EXIT is the case's).</summary>
    void OnCase(int index)
    {
    }

    /// <summary>A test run's case ended, with its own figures.</summary>
    void OnCaseExit(int index, AgentExit exit)
    {
    }

    /// <summary>A file the run created or changed in its workspace (sent before EXIT).</summary>
    void OnOutputFile(string path, byte[] content)
    {
    }

    /// <summary>Files the run wrote that were past the caps and did not come back.</summary>
    void OnOutputFilesLeftOut(OutputFilesLeftOut leftOut)
    {
    }

    /// <summary>The container or its attach stream went away in the middle of the run.</summary>
    void OnAgentLost(string reason);
}

/// <summary>The framed conversation with one container's agent over its attached stdin and stdout.</summary>
internal sealed class AgentConnection : IAsyncDisposable
{
    private readonly MultiplexedStream _stream;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Channel<AgentReady> _ready = Channel.CreateUnbounded<AgentReady>(new() { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private IAgentListener? _listener;
    private uint _lastRunId;
    private int _disposed;

    public AgentConnection(string containerId, MultiplexedStream stream, ILogger logger)
    {
        ContainerId = containerId;
        _stream = stream;
        _logger = logger;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public string ContainerId { get; }

    /// <summary>Completes, with the reason, when the attach stream ends.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    public IAgentListener? Listener
    {
        get => Volatile.Read(ref _listener);
        set => Volatile.Write(ref _listener, value);
    }

    /// <summary>Waits for the next READY frame: sent at start-up and after each run's reset.</summary>
    public async Task<AgentReady> WaitReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _ready.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return new AgentReady(false, "the agent is gone: " + (_closed.Task.IsCompleted ? _closed.Task.Result : "closed"));
        }
    }

    /// <summary>
    /// Gives the RUN frame the connection's next run id, makes <paramref name="listener"/> hear the run, and sends it.
    /// Returns the id, which the run's STDIN, STDIN_EOF and KILL frames must carry.
    /// </summary>
    public async ValueTask<uint> StartRunAsync(byte[] runFrame, IAgentListener listener, CancellationToken cancellationToken = default)
    {
        var runId = AgentProtocol.NextRunId(ref _lastRunId);
        AgentProtocol.SetRunId(runFrame, runId);
        Listener = listener;
        await SendAsync(runFrame, cancellationToken).ConfigureAwait(false);
        return runId;
    }

    public async ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame, 0, frame.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            throw new IOException($"The agent of container {Log.Short(ContainerId)} cannot be reached: {ex.Message}", ex);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var frames = new FrameBuffer();
        var reason = "the container's output ended";
        try
        {
            while (true)
            {
                var memory = frames.GetWriteMemory(64 * 1024);
                if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment))
                {
                    throw new InvalidOperationException("The frame buffer is not array-backed.");
                }

                var result = await _stream.ReadOutputAsync(segment.Array!, segment.Offset, segment.Count, _stop.Token)
                    .ConfigureAwait(false);
                if (result.EOF)
                {
                    break;
                }

                if (result.Target == MultiplexedStream.TargetStream.StandardError)
                {
                    Log.AgentSaid(_logger, Log.Short(ContainerId), Encoding.UTF8.GetString(segment.Array!, segment.Offset, result.Count).TrimEnd());
                    continue;
                }

                frames.Advance(result.Count);
                while (frames.TryRead(out var type, out var payload))
                {
                    Dispatch(type, payload);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            reason = "the connection was closed by the engine";
        }
        catch (Exception ex)
        {
            reason = ex.GetBaseException().Message;
            if (!_stop.IsCancellationRequested)
            {
                Log.AgentStreamFailed(_logger, Log.Short(ContainerId), ex);
            }
        }

        _closed.TrySetResult(reason);
        _ready.Writer.TryComplete();
        Listener?.OnAgentLost(reason);
    }

    private void Dispatch(FrameType type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case FrameType.Ready:
                _ready.Writer.TryWrite(AgentProtocol.ParseReady(payload));
                break;
            case FrameType.Stdout or FrameType.Stderr:
                Listener?.OnOutput(type, payload);
                break;
            case FrameType.Image:
                Listener?.OnImage(payload);
                break;
            case FrameType.Step:
                Listener?.OnStep(payload[0] | (payload[1] << 8));
                break;
            case FrameType.Case:
                Listener?.OnCase(payload[0] | (payload[1] << 8));
                break;
            case FrameType.CaseExit:
                var (index, caseExit) = AgentProtocol.ParseCaseExit(payload);
                Listener?.OnCaseExit(index, caseExit);
                break;
            case FrameType.File:
                var (path, content, leftOut) = AgentProtocol.ParseFile(payload);
                if (leftOut is not null)
                {
                    Listener?.OnOutputFilesLeftOut(leftOut);
                }
                else
                {
                    Listener?.OnOutputFile(path!, content);
                }

                break;
            case FrameType.Exit:
                var exit = AgentProtocol.ParseExit(payload);
                var listener = Listener;
                Listener = null;
                listener?.OnExit(exit);
                break;
            default:
                throw new InvalidDataException($"The agent sent an unknown frame type 0x{(byte)type:x2}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _stream.Dispose();
        await _readLoop.ConfigureAwait(false);
        _stop.Dispose();
        _writeGate.Dispose();
    }
}
