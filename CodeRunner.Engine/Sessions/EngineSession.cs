using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine.Hosting;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Sql;
using CodeRunner.Engine.Testing;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Sessions;

/// <summary>One user's session (a Blazor circuit): its live runs and, once it uses network mode, its own network.</summary>
public interface IEngineSession : IAsyncDisposable
{
    /// <summary>A random id: the logs name the session by it, and the containers made for it carry it as <c>coderunner.session</c>.</summary>
    string Id { get; }

    /// <summary>
    /// Checks and plans the run (on the thread pool, never on the caller's thread), starts it and returns at once; the
    /// handle streams its output. Several runs may be live at once; past <see cref="EngineOptions.MaxRunsPerSession"/>
    /// a run waits, and says so, until one of the session's own runs ends.
    /// </summary>
    /// <exception cref="InvalidRunRequestException">The request cannot run as it is; nothing ran.</exception>
    /// <exception cref="RuntimeUnavailableException">The language's image is missing; nothing ran.</exception>
    /// <exception cref="NetworkModeUnavailableException">Network mode was asked for and cannot be used now; nothing ran.</exception>
    Task<IRunHandle> StartRunAsync(RunRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compiles the program once and runs every case in one container, each from the same workspace, with the same
    /// pools, queueing and limits as ordinary runs; <paramref name="progress"/> hears each case as it ends.
    /// Cancelling kills the run.
    /// </summary>
    /// <exception cref="InvalidRunRequestException">The request cannot run as it is; nothing ran.</exception>
    /// <exception cref="LimitAboveCeilingException">A case asks for more than this server allows; nothing ran.</exception>
    /// <exception cref="RuntimeUnavailableException">The language's image is missing; nothing ran.</exception>
    Task<TestRunResult> RunTestsAsync(TestRunRequest request, IProgress<TestCaseResult>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a notebook kernel and returns at once (State Starting); the first ExecuteAsync waits for it to be ready.
    /// The kernel has a container of its own, with the limits and isolation of every run; it goes when disposed, when
    /// the session closes, or after <see cref="Notebooks.KernelOptions.IdleTimeout"/> without a cell.
    /// </summary>
    /// <exception cref="InvalidRunRequestException">The notebook's path cannot be a project's.</exception>
    /// <exception cref="RuntimeUnavailableException">The Python image is missing.</exception>
    /// <exception cref="KernelLimitException">The session or the server has as many kernels open as it may (<see cref="Notebooks.KernelOptions"/>).</exception>
    Task<INotebookKernel> StartKernelAsync(KernelRequest request, CancellationToken cancellationToken = default);

    IReadOnlyCollection<IRunHandle> ActiveRuns { get; }

    /// <summary>The Docker network of the session's network mode once it has used it, else null.</summary>
    string? NetworkName { get; }

    /// <summary>True once the session is disposed: by its owner, or by an administrator who ended it.</summary>
    bool IsClosed { get; }
}

/// <inheritdoc cref="IEngineSession"/>
internal sealed class EngineSession : IEngineSession
{
    private readonly ExecutionEngine _engine;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Run> _runs = new();
    private readonly ConcurrentDictionary<string, SqlRun> _sqlRuns = new();
    private readonly ConcurrentDictionary<object, Task> _testRuns = new();
    private readonly ConcurrentDictionary<string, NotebookKernel> _kernels = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _slots;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _databaseGate = new(1, 1);
    private SessionNetwork? _network;
    private SessionDatabase? _database;
    private long _lastActivityTicks = Environment.TickCount64;
    private int _disposed;

    public EngineSession(ExecutionEngine engine, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        _slots = new SemaphoreSlim(engine.Options.MaxRunsPerSession);
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    }

    public string Id { get; }

    /// <summary>When the session was made.</summary>
    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    public IReadOnlyCollection<IRunHandle> ActiveRuns => [.. _runs.Values, .. _sqlRuns.Values];

    /// <summary>Milliseconds (<see cref="Environment.TickCount64"/>) of the last run start or end.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivityTicks);

    public string? NetworkName => Volatile.Read(ref _network)?.NetworkName;

    public bool IsClosed => Volatile.Read(ref _disposed) != 0;

    /// <summary>The containers of the session's network mode, for tests.</summary>
    internal IReadOnlyList<string> NetworkContainerIds => Volatile.Read(ref _network)?.ContainerIds ?? [];

    public async Task<IRunHandle> StartRunAsync(RunRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Reading a student's files (a package declaration, a main function) must never hold the caller's thread,
        // which in the IDE is the circuit's.
        var plan = await Task.Run(() => RunPlanner.Plan(request, _engine.Catalog, _engine.Options.Requests), cancellationToken)
            .ConfigureAwait(false);
        if (plan.Language.Runtime.Service == Runtimes.RuntimeCatalog.PostgresService)
        {
            return StartSql(plan); // against the session's database, the same in either mode
        }

        var source = request.Mode == RunMode.Network ? Network() : _engine.FastSource;
        var run = new Run(plan);
        _runs[run.Id] = run;
        Touch();
        _ = ExecuteAsync(run, source);
        return run;
    }

    public Task<TestRunResult> RunTestsAsync(TestRunRequest request, IProgress<TestCaseResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var key = new object();
        var task = RunTestsCoreAsync(request, progress, cancellationToken);
        _testRuns[key] = task;
        _ = task.ContinueWith(_ => _testRuns.TryRemove(key, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    public Task<INotebookKernel> StartKernelAsync(KernelRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        KernelLaunch.CheckNotebookPath(request.NotebookPath);
        var limits = _engine.Options.Kernels;
        var setup = _engine.KernelSetup(Id);
        NotebookKernel kernel;
        lock (_gate)
        {
            if (_kernels.Count >= limits.MaxPerSession)
            {
                throw new KernelLimitException(
                    $"{_kernels.Count} notebooks are open with their Python, the most one person may have ({limits.MaxPerSession}): close the tab of one you are done with.");
            }

            if (_engine.KernelCount >= limits.MaxKernels)
            {
                throw new KernelLimitException(
                    $"The server runs {limits.MaxKernels} notebooks, its most (Engine:Kernels:MaxKernels): try again when others have closed theirs, or ask whoever runs it to raise the limit.");
            }

            kernel = new NotebookKernel(request, setup, _logger, closed: k => _kernels.TryRemove(k.Id, out _));
            _kernels[kernel.Id] = kernel;
        }

        Touch();
        return Task.FromResult<INotebookKernel>(kernel);
    }

    /// <summary>How many kernels the session has open, for the server's cap.</summary>
    internal int KernelCount => _kernels.Count;

    /// <summary>The session's SQL database once a SQL run made it, for tests.</summary>
    internal SessionDatabase? SqlDatabase => Volatile.Read(ref _database);

    /// <summary>The session's live kernels, for tests.</summary>
    internal IReadOnlyCollection<NotebookKernel> Kernels => _kernels.Values.ToList();

    private async Task<TestRunResult> RunTestsCoreAsync(TestRunRequest request, IProgress<TestCaseResult>? progress, CancellationToken cancellationToken)
    {
        // Like a run's plan: reading the student's files never holds the caller's thread.
        var plan = await Task.Run(() => TestPlanner.Plan(request, _engine.Catalog, _engine.Options.Requests), cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        using var run = new TestRun(plan, progress, _logger);
        var queuedAt = Stopwatch.GetTimestamp();
        Touch();
        try
        {
            // The same slots as ordinary runs: a test run counts as one of the session's runs.
            await TakeSlotAsync(run, stop.Token).ConfigureAwait(false);
            try
            {
                var containerRequest = new ContainerRequest(plan.Program.Language.Runtime, Id, run);
                return await TestRunExecutor.ExecuteAsync(run, containerRequest, _engine.FastSource, _engine.Options.MaxRunsPerContainer, queuedAt,
                        _engine.Metrics, _logger, stop.Token)
                    .ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Touch();
        }
    }

    private async Task ExecuteAsync(Run run, IContainerSource source)
    {
        var queuedAt = Stopwatch.GetTimestamp();
        try
        {
            if (!await TakeSlotAsync(run).ConfigureAwait(false))
            {
                run.Complete(new RunVerdict { Stopped = true });
                return;
            }

            try
            {
                var request = new ContainerRequest(run.Plan.Language.Runtime, Id, run);
                await RunExecutor.ExecuteAsync(run, request, source, _engine.Options.MaxRunsPerContainer, queuedAt, _engine.Metrics, _logger).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            _runs.TryRemove(run.Id, out _);
            Touch();
        }
    }

    private SqlRun StartSql(RunPlan plan)
    {
        var server = _engine.Sql ?? throw new RuntimeUnavailableException("This server has no SQL runtime.");
        var run = new SqlRun(plan, _engine.Options.Sql.MaxRows);
        Touch();
        _ = ExecuteSqlAsync(run, server);
        return run;
    }

    private async Task ExecuteSqlAsync(SqlRun run, SqlServer server)
    {
        _sqlRuns[run.Id] = run;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await TakeSlotAsync(run, run.StopToken).ConfigureAwait(false);
            try
            {
                _engine.Metrics.RunStarted(run.Language, Stopwatch.GetElapsedTime(started));
                started = Stopwatch.GetTimestamp();
                await run.ExecuteAsync(token => DatabaseAsync(server, run, token)).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException)
        {
            run.Complete(new RunVerdict { Stopped = true });
        }
        catch (Exception ex)
        {
            Log.SqlRunFailed(_logger, ex);
            run.Complete(new RunVerdict { Error = $"The engine could not run this SQL: {ex.Message}" });
        }
        finally
        {
            _sqlRuns.TryRemove(run.Id, out _);
            Touch();
            if (run.Completion.IsCompletedSuccessfully)
            {
                _engine.Metrics.RunEnded(run.Language, "sql", EngineMetrics.OutcomeOf(run.Completion.Result), Stopwatch.GetElapsedTime(started));
            }
        }
    }

    /// <summary>The session's database, made on its first SQL run (and again, with a word, after the server restarted).</summary>
    private async Task<SessionDatabase> DatabaseAsync(SqlServer server, SqlRun run, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _database) is { } current && server.IsCurrent(current))
        {
            return current;
        }

        await _databaseGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_database is { } database && server.IsCurrent(database))
            {
                return database;
            }

            if (_database is { } lost)
            {
                run.System("The SQL server restarted since this session's last SQL run, and its tables went with it: this run starts from an empty database.");
                await lost.DisposeAsync().ConfigureAwait(false);
            }

            run.Status("making this session's database…");
            var made = await server.CreateDatabaseAsync(Id, cancellationToken).ConfigureAwait(false);
            run.Status("");
            Volatile.Write(ref _database, made);
            return made;
        }
        finally
        {
            _databaseGate.Release();
        }
    }

    /// <summary>Waits for one of the session's run slots; false when the run was stopped while it waited.</summary>
    private async Task<bool> TakeSlotAsync(Run run)
    {
        try
        {
            await TakeSlotAsync(run, run.StopToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits for one of the session's run slots, saying so while it waits.</summary>
    private async Task TakeSlotAsync(IRunProgress progress, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, cancellationToken))
        {
            return;
        }

        progress.Status($"waiting: this session already runs {_engine.Options.MaxRunsPerSession} programs; this one starts when one of them ends");
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        progress.Status("");
    }

    private SessionNetwork Network()
    {
        lock (_gate)
        {
            return _network ??= _engine.EnterNetworkMode(Id);
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, Environment.TickCount64);

    /// <summary>
    /// Removes the network-mode containers and network when no run is live and none ran for <paramref name="idleFor"/>;
    /// with <paramref name="evenWithRuns"/>, also when runs are live (their containers are already gone).
    /// </summary>
    public async Task ReleaseNetworkIfIdleAsync(TimeSpan idleFor, bool evenWithRuns = false)
    {
        SessionNetwork? network;
        lock (_gate)
        {
            if (_network is null || (!_runs.IsEmpty && !evenWithRuns)
                || Environment.TickCount64 - LastActivity < idleFor.TotalMilliseconds)
            {
                return;
            }

            network = _network;
            _network = null;
        }

        Log.SessionIdle(_logger, Id);
        await network.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every run, waits for their verdicts, then removes the session's containers and network.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var runs = ActiveRuns.ToList();
        foreach (var run in runs)
        {
            await run.StopAsync().ConfigureAwait(false);
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        var tests = _testRuns.Values.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
        try
        {
            await Task.WhenAll(runs.Select(r => (Task)r.Completion).Concat(tests)).WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.SessionRunsLingered(_logger, Id, runs.Count(r => !r.Completion.IsCompleted) + _testRuns.Count);
        }

        await Task.WhenAll(_kernels.Values.Select(k => k.DisposeAsync().AsTask())).ConfigureAwait(false);

        // Nothing of the session's SQL is left: its database and its role are dropped.
        await _databaseGate.WaitAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _database, null) is { } database && _engine.Sql is { } sql)
        {
            await sql.DropAsync(database).ConfigureAwait(false);
        }

        SessionNetwork? network;
        lock (_gate)
        {
            network = _network;
            _network = null;
        }

        if (network is not null)
        {
            await network.DisposeAsync().ConfigureAwait(false);
        }

        _engine.Forget(this);
    }
}
