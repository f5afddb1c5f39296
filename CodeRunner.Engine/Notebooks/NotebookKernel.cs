using System.Threading.Channels;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Notebooks;

/// <inheritdoc cref="INotebookKernel"/>
/// <remarks>
/// One worker runs the cells in order, each in the interpreter <see cref="KernelInterpreter"/> keeps (starting it again
/// when it died); this class holds the queue, the state, interrupts and the idle timeout.
/// </remarks>
internal sealed class NotebookKernel : INotebookKernel
{
    /// <summary>How long an interrupted cell may take to end before its interpreter is killed.</summary>
    private static readonly TimeSpan InterruptPatience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan StopPatience = KernelInterpreter.StopPatience;

    private readonly KernelSetup _setup;
    private readonly ILogger _logger;
    private readonly Action<NotebookKernel>? _closed;
    private readonly Channel<KernelCell> _queue = Channel.CreateUnbounded<KernelCell>();
    private readonly KernelInterpreter _interpreter;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _worker;
    private readonly Task _idleWatch;
    private readonly object _stateGate = new();
    private KernelState _state = KernelState.Starting;
    private string? _problem;
    private KernelCell? _running;
    private long _cellIds;
    private long _lastActivity = Environment.TickCount64;
    private int _disposed;

    public NotebookKernel(KernelRequest request, KernelSetup setup, ILogger logger, Action<NotebookKernel>? closed = null)
    {
        _closed = closed;
        _setup = setup;
        _logger = logger;
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        _interpreter = new KernelInterpreter(request, setup, Id, logger, SetState, () => Disposed);
        _worker = Task.Run(WorkAsync);
        _idleWatch = Task.Run(WatchIdleAsync);
        _ = StartInBackgroundAsync();
    }

    public string Id { get; }

    public KernelState State
    {
        get
        {
            lock (_stateGate)
            {
                return _state;
            }
        }
    }

    public string? Problem
    {
        get
        {
            lock (_stateGate)
            {
                return _problem;
            }
        }
    }

    public event Action<KernelState>? StateChanged;

    /// <summary>The container the kernel holds now, for tests; null when it holds none.</summary>
    internal string? ContainerId => _interpreter.ContainerId;

    private bool Disposed => Volatile.Read(ref _disposed) != 0;

    public Task<CellResult> ExecuteAsync(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(output);
        var cell = new KernelCell(code, output, cancellationToken);
        Touch();
        if (!_queue.Writer.TryWrite(cell))
        {
            cell.Finish(new CellResult(CellStatus.Aborted, null, "The notebook's kernel is closed."));
        }

        return cell.Result;
    }

    public async ValueTask ReplyInputAsync(string text, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _running) is { } cell && _interpreter.Process is { } process && cell.TakeInputRequest())
        {
            await process.SendAsync(KernelWire.InputReply(text ?? ""), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask InterruptAsync(CancellationToken cancellationToken = default)
    {
        AbortQueued("The cell did not run: the kernel was interrupted before its turn.");
        if (Volatile.Read(ref _running) is { } cell)
        {
            cell.Interrupted = true;
            await InterruptCellAsync(cell, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        AbortQueued("The cell did not run: the kernel restarted before its turn.");
        await _interpreter.RestartAsync(cancellationToken).ConfigureAwait(false);
        Touch();
    }

    /// <summary>The kernel starts as soon as it is asked for, so that the first cell finds it loaded or loading.</summary>
    private async Task StartInBackgroundAsync()
    {
        try
        {
            await _interpreter.EnsureStartedAsync(_lifetime.Token).ConfigureAwait(false);
            Touch();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && Disposed)
        {
        }
        catch (Exception ex)
        {
            // Said through State and Problem (EnsureStartedAsync set them); the first cell tries again.
            Log.KernelStartFailed(_logger, Id, ex.Message);
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var cell in _queue.Reader.ReadAllAsync(_lifetime.Token).ConfigureAwait(false))
            {
                Volatile.Write(ref _running, cell);
                CellResult result;
                try
                {
                    result = await RunCellAsync(cell).ConfigureAwait(false);
                }
                catch (Exception ex) when (!Disposed)
                {
                    Log.KernelCellFailed(_logger, Id, ex);
                    result = new CellResult(CellStatus.Aborted, null, $"The engine could not run the cell: {ex.Message}");
                }
                catch (Exception)
                {
                    result = new CellResult(CellStatus.Aborted, null, "The notebook's kernel is closed.");
                }

                Volatile.Write(ref _running, null);
                Touch();
                cell.Finish(result);
            }
        }
        catch (OperationCanceledException) when (Disposed)
        {
        }
    }

    private async Task<CellResult> RunCellAsync(KernelCell cell)
    {
        if (cell.CancellationToken.IsCancellationRequested)
        {
            return new CellResult(CellStatus.Aborted, null, "The cell was cancelled before it ran.");
        }

        KernelProcess process;
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cell.CancellationToken, _lifetime.Token);
            process = await _interpreter.EnsureStartedAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!Disposed)
        {
            return new CellResult(CellStatus.Aborted, null, "The cell was cancelled while the kernel started.");
        }
        catch (Exception ex) when (!Disposed && ex is not ObjectDisposedException)
        {
            return new CellResult(CellStatus.Aborted, null, Problem ?? ex.Message);
        }

        if (cell.Interrupted)
        {
            return new CellResult(CellStatus.Aborted, null, "The cell did not run: the kernel was interrupted while it started.");
        }

        var id = Interlocked.Increment(ref _cellIds);
        cell.Id = id;
        cell.Process = process;
        SetState(KernelState.Busy, null);
        await process.SendAsync(KernelWire.Execute(id, cell.Code)).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(_setup.Options.CellTimeout);
        await using var onTimeout = timeout.Token.Register(() => _ = TimeOutAsync(cell)).ConfigureAwait(false);
        await using var onCancel = cell.CancellationToken.Register(() => _ = InterruptCellAsync(cell)).ConfigureAwait(false);
        while (true)
        {
            KernelMessage message;
            try
            {
                message = await process.Messages.ReadAsync().ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                message = new KernelEnded(await process.Ended.ConfigureAwait(false));
            }

            switch (message)
            {
                case KernelCellOutput o when o.Cell == id:
                    if (o.Output is InputRequest)
                    {
                        cell.ExpectInput();
                    }

                    await DeliverAsync(cell, o.Output).ConfigureAwait(false);
                    break;
                case KernelCellDone d when d.Cell == id:
                    SetState(KernelState.Idle, null);
                    return new CellResult(d.Ok ? CellStatus.Ok : CellStatus.Error, d.ExecutionCount);
                case KernelEnded ended:
                    return new CellResult(CellStatus.Aborted, null, process.Stopping
                        ? "The cell was stopped: the kernel " + (Disposed ? "was closed." : "restarted.")
                        : $"{ended.Problem} Run the cell again to start a new kernel.");
            }
        }
    }

    private async Task DeliverAsync(KernelCell cell, KernelOutput output)
    {
        try
        {
            await cell.Output(output).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.KernelOutputFailed(_logger, Id, ex); // the caller's failure; the cell goes on
        }
    }

    /// <summary>A cell past <see cref="KernelOptions.CellTimeout"/>: says so, interrupts it, and kills it when it will not stop.</summary>
    private async Task TimeOutAsync(KernelCell cell)
    {
        // Through the interpreter's messages, so that the caller hears it in order with the cell's own outputs.
        cell.Process?.Inject(new KernelCellOutput(cell.Id, new StreamOutput("stderr",
            $"\ncoderunner: the cell ran for {LimitText(_setup.Options.CellTimeout)}, this server's limit, and was interrupted\n")));
        await InterruptCellAsync(cell).ConfigureAwait(false);
    }

    /// <summary>SIGINT to the cell's interpreter; if the cell has not ended after <see cref="InterruptPatience"/>, the interpreter is killed.</summary>
    private async Task InterruptCellAsync(KernelCell cell, CancellationToken cancellationToken = default)
    {
        if (cell.Process is not { } process || cell.Result.IsCompleted)
        {
            return;
        }

        await process.InterruptAsync(cancellationToken).ConfigureAwait(false);
        _ = Task.Delay(InterruptPatience, _lifetime.Token).ContinueWith(async _ =>
        {
            if (!cell.Result.IsCompleted && _interpreter.Process == process)
            {
                Log.KernelInterruptIgnored(_logger, Id);
                await process.StopAsync(StopPatience).ConfigureAwait(false);
            }
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>Shuts the kernel down, container and all, after <see cref="KernelOptions.IdleTimeout"/> without a cell.</summary>
    private async Task WatchIdleAsync()
    {
        var idle = _setup.Options.IdleTimeout;
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastActivity));
                if (quiet < idle || Volatile.Read(ref _running) is not null || _queue.Reader.Count > 0)
                {
                    await Task.Delay(quiet < idle ? idle - quiet + TimeSpan.FromMilliseconds(20) : idle, _lifetime.Token).ConfigureAwait(false);
                    continue;
                }

                if (await _interpreter.ShutDownAsync(() => Volatile.Read(ref _running) is null && _queue.Reader.Count == 0, _lifetime.Token).ConfigureAwait(false))
                {
                    Log.KernelIdle(_logger, Id);
                    SetState(KernelState.Dead, $"The kernel was shut down after {LimitText(idle)} without a cell; its variables are gone. Run a cell to start a new one.");
                }

                Touch();
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
    }

    private void AbortQueued(string message)
    {
        while (_queue.Reader.TryRead(out var cell))
        {
            cell.Finish(new CellResult(CellStatus.Aborted, null, message));
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, Environment.TickCount64);

    private void SetState(KernelState state, string? problem)
    {
        lock (_stateGate)
        {
            if (_state == state && _problem == problem)
            {
                return;
            }

            _state = state;
            _problem = state == KernelState.Dead ? problem : null;
        }

        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception ex)
        {
            Log.KernelOutputFailed(_logger, Id, ex);
        }
    }

    private static string LimitText(TimeSpan time) => time.TotalMinutes >= 1 && time.Seconds == 0
        ? $"{time.TotalMinutes:0} min"
        : $"{time.TotalSeconds:0.#} s";

    /// <summary>Ends the interpreter, removes the container, and aborts every cell that runs or waits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        AbortQueued("The cell did not run: the notebook's kernel was closed.");
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _interpreter.ShutDownAsync(() => true).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_worker, _idleWatch).WaitAsync(StopPatience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.KernelLingered(_logger, Id); // a caller's output handler still holds the last cell; nothing of the kernel is left
        }
        SetState(KernelState.Dead, "The notebook's kernel was closed.");
        _closed?.Invoke(this);
        Log.KernelClosed(_logger, Id);
    }
}
