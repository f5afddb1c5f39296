using System.Threading.Channels;
using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Notebooks;

/// <inheritdoc cref="INotebookKernel"/>
/// <remarks>
/// One worker runs the cells in order. The container is the kernel's alone, taken from the Python pool and never given
/// back: a restart, or a death the agent reset cleanly after, starts the next interpreter in it; the idle timeout and
/// disposal remove it.
/// </remarks>
internal sealed class NotebookKernel : INotebookKernel
{
    /// <summary>How long the interpreter may take to load; on a busy server, seconds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long an interrupted cell may take to end before its interpreter is killed.</summary>
    private static readonly TimeSpan InterruptPatience = TimeSpan.FromSeconds(10);

    /// <summary>How long the agent may take to confirm a kill, and to reset the container after it.</summary>
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ResetPatience = TimeSpan.FromSeconds(30);

    private readonly KernelRequest _request;
    private readonly KernelSetup _setup;
    private readonly ILogger _logger;
    private readonly Action<NotebookKernel>? _closed;
    private readonly Channel<Cell> _queue = Channel.CreateUnbounded<Cell>();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _worker;
    private readonly Task _idleWatch;
    private readonly object _stateGate = new();
    private KernelState _state = KernelState.Starting;
    private string? _problem;
    private RuntimeContainer? _container;
    private KernelProcess? _process;
    private bool _containerNeedsReset;
    private Cell? _running;
    private long _cellIds;
    private long _lastActivity = Environment.TickCount64;
    private int _disposed;

    public NotebookKernel(KernelRequest request, KernelSetup setup, ILogger logger, Action<NotebookKernel>? closed = null)
    {
        _closed = closed;
        _request = request;
        _setup = setup;
        _logger = logger;
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
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
    internal string? ContainerId => Volatile.Read(ref _container)?.Id;

    private bool Disposed => Volatile.Read(ref _disposed) != 0;

    public Task<CellResult> ExecuteAsync(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(output);
        var cell = new Cell(code, output, cancellationToken);
        Touch();
        if (!_queue.Writer.TryWrite(cell))
        {
            cell.Finish(new CellResult(CellStatus.Aborted, null, "The notebook's kernel is closed."));
        }

        return cell.Result;
    }

    public async ValueTask ReplyInputAsync(string text, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _running) is { } cell && Volatile.Read(ref _process) is { } process && cell.TakeInputRequest())
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
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopProcessAsync().ConfigureAwait(false);
            SetState(KernelState.Starting, null);
            await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>The kernel starts as soon as it is asked for, so that the first cell finds it loaded or loading.</summary>
    private async Task StartInBackgroundAsync()
    {
        try
        {
            await EnsureStartedAsync(_lifetime.Token).ConfigureAwait(false);
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

    private async Task<CellResult> RunCellAsync(Cell cell)
    {
        if (cell.CancellationToken.IsCancellationRequested)
        {
            return new CellResult(CellStatus.Aborted, null, "The cell was cancelled before it ran.");
        }

        KernelProcess process;
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cell.CancellationToken, _lifetime.Token);
            process = await EnsureStartedAsync(wait.Token).ConfigureAwait(false);
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

    private async Task DeliverAsync(Cell cell, KernelOutput output)
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
    private async Task TimeOutAsync(Cell cell)
    {
        // Through the interpreter's messages, so that the caller hears it in order with the cell's own outputs.
        cell.Process?.Inject(new KernelCellOutput(cell.Id, new StreamOutput("stderr",
            $"\ncoderunner: the cell ran for {LimitText(_setup.Options.CellTimeout)}, this server's limit, and was interrupted\n")));
        await InterruptCellAsync(cell).ConfigureAwait(false);
    }

    /// <summary>SIGINT to the cell's interpreter; if the cell has not ended after <see cref="InterruptPatience"/>, the interpreter is killed.</summary>
    private async Task InterruptCellAsync(Cell cell, CancellationToken cancellationToken = default)
    {
        if (cell.Process is not { } process || cell.Result.IsCompleted)
        {
            return;
        }

        await process.InterruptAsync(cancellationToken).ConfigureAwait(false);
        _ = Task.Delay(InterruptPatience, _lifetime.Token).ContinueWith(async _ =>
        {
            if (!cell.Result.IsCompleted && Volatile.Read(ref _process) == process)
            {
                Log.KernelInterruptIgnored(_logger, Id);
                await process.StopAsync(StopPatience).ConfigureAwait(false);
            }
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
    }

    /// <summary>The interpreter, loaded and reading cells: the one running, or a new one (in a new container if need be).</summary>
    private async Task<KernelProcess> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            if (_process is { Ended.IsCompleted: false } live)
            {
                return live;
            }

            if (_process is not null)
            {
                await StopProcessAsync().ConfigureAwait(false);
            }

            SetState(KernelState.Starting, null);
            return await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Under <see cref="_lifecycle"/>: starts an interpreter and waits until it has loaded.</summary>
    private async Task<KernelProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            var frame = KernelLaunch.Frame(_request, _setup);
            var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
            var process = new KernelProcess(container, _setup.Runtime.Limits.MemoryMb * 1024L * 1024L, _logger);
            _containerNeedsReset = true;
            await process.StartAsync(frame, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _process, process);
            _ = process.Ended.ContinueWith(t => OnEnded(process, t.Result), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(StartTimeout);
            var first = await process.Messages.ReadAsync(wait.Token).ConfigureAwait(false);
            if (first is not KernelReady)
            {
                throw new InvalidOperationException(first is KernelEnded e ? e.Problem : "The kernel did not start as expected.");
            }

            Log.KernelStarted(_logger, Id, Log.Short(container.Id));
            SetState(KernelState.Idle, null);
            Touch();
            return process;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            SetState(KernelState.Dead, $"The kernel did not start within {StartTimeout.TotalSeconds:0} s. Run a cell to try again.");
            throw new TimeoutException(Problem);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !Disposed)
        {
            SetState(KernelState.Dead, ex.Message.StartsWith("The kernel", StringComparison.Ordinal) ? ex.Message : $"The kernel could not start: {ex.Message}");
            throw;
        }
    }

    /// <summary>The kernel's container, clean: the one it holds once the agent reset it, or a new one from the pool.</summary>
    private async Task<RuntimeContainer> ContainerAsync(CancellationToken cancellationToken)
    {
        if (_container is { } held && _containerNeedsReset)
        {
            var ready = held.Agent.IsOpen
                ? await held.Agent.WaitReadyAsync(cancellationToken).WaitAsync(ResetPatience, cancellationToken).ConfigureAwait(false)
                : new AgentReady(false, "the agent is gone");
            _containerNeedsReset = false;
            if (!ready.Ok)
            {
                Log.KernelContainerReplaced(_logger, Id, Log.Short(held.Id), ready.Problem ?? "unknown");
                await DropContainerAsync().ConfigureAwait(false);
            }
        }

        if (_container is null)
        {
            var container = await _setup.TakeContainerAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _container, container);
            _containerNeedsReset = false;
        }

        return _container!;
    }

    /// <summary>Under <see cref="_lifecycle"/>: ends the interpreter, if any; the container goes too unless the agent ended it cleanly.</summary>
    private async Task StopProcessAsync()
    {
        if (Volatile.Read(ref _process) is not { } process)
        {
            return;
        }

        var confirmed = await process.StopAsync(StopPatience).ConfigureAwait(false);
        Volatile.Write(ref _process, null);
        // As after any run: a container where something timed out or ran out of memory is never used again.
        if (!confirmed || process.Exit is { } exit && (exit.Flags & (ExitFlags.OutOfMemory | ExitFlags.TimedOut)) != 0)
        {
            await DropContainerAsync().ConfigureAwait(false);
        }
    }

    private async Task DropContainerAsync()
    {
        if (Interlocked.Exchange(ref _container, null) is not { } container)
        {
            return;
        }

        _containerNeedsReset = false;
        try
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ContainerRemoveFailed(_logger, Log.Short(container.Id), ex.Message);
        }
    }

    /// <summary>The interpreter ended: a death unless the engine ended it.</summary>
    private void OnEnded(KernelProcess process, string problem)
    {
        if (!process.Stopping && !Disposed)
        {
            Log.KernelDied(_logger, Id, problem);
            SetState(KernelState.Dead, problem);
        }
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

                await _lifecycle.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                try
                {
                    if (Volatile.Read(ref _running) is null && _queue.Reader.Count == 0 && (_process is not null || _container is not null))
                    {
                        await StopProcessAsync().ConfigureAwait(false);
                        await DropContainerAsync().ConfigureAwait(false);
                        Log.KernelIdle(_logger, Id);
                        SetState(KernelState.Dead, $"The kernel was shut down after {LimitText(idle)} without a cell; its variables are gone. Run a cell to start a new one.");
                    }
                }
                finally
                {
                    _lifecycle.Release();
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
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _process) is { } process)
            {
                await process.StopAsync(StopPatience).ConfigureAwait(false);
            }

            await DropContainerAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }

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

    /// <summary>A cell in the queue, then running: its code, where its outputs go, and its result.</summary>
    private sealed class Cell(string code, Func<KernelOutput, ValueTask> output, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<CellResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inputPending;

        public string Code => code;
        public Func<KernelOutput, ValueTask> Output => output;
        public CancellationToken CancellationToken => cancellationToken;
        public Task<CellResult> Result => _result.Task;

        private KernelProcess? _process;
        private int _interrupted;

        /// <summary>The interpreter the cell runs in, once it runs (set after <see cref="Id"/>).</summary>
        public KernelProcess? Process
        {
            get => Volatile.Read(ref _process);
            set => Volatile.Write(ref _process, value);
        }

        /// <summary>The id the interpreter knows the cell by, once it runs.</summary>
        public long Id { get; set; }

        /// <summary>An interrupt came while the kernel started for it: it does not run.</summary>
        public bool Interrupted
        {
            get => Volatile.Read(ref _interrupted) != 0;
            set => Volatile.Write(ref _interrupted, value ? 1 : 0);
        }

        public void ExpectInput() => Interlocked.Exchange(ref _inputPending, 1);

        /// <summary>True once per input request: a second reply to one request is dropped.</summary>
        public bool TakeInputRequest() => Interlocked.Exchange(ref _inputPending, 0) == 1;

        public void Finish(CellResult result) => _result.TrySetResult(result);
    }
}
