using System.Collections.Concurrent;
using CodeRunner.Engine.Runs;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Sessions;

/// <summary>One user's session (a Blazor circuit): its live runs and, once it uses network mode, its own network.</summary>
public interface IEngineSession : IAsyncDisposable
{
    /// <summary>A random id; network mode's network is named <c>coderunner-session-{Id}</c>.</summary>
    string Id { get; }

    /// <summary>Starts a run and returns at once; the handle streams its output. Several runs may be live at once.</summary>
    /// <exception cref="InvalidRunRequestException">The request cannot run as it is; nothing ran.</exception>
    /// <exception cref="RuntimeUnavailableException">The language's image is missing; nothing ran.</exception>
    IRunHandle StartRun(RunRequest request);

    IReadOnlyCollection<IRunHandle> ActiveRuns { get; }

    /// <summary>
    /// The session's own Docker network once it has used network mode, else null: <c>coderunner-session-{random id}</c>,
    /// whose resources carry the label <c>coderunner.session={random id}</c>.
    /// </summary>
    string? NetworkName { get; }
}

/// <inheritdoc cref="IEngineSession"/>
internal sealed class EngineSession : IEngineSession
{
    private readonly ExecutionEngine _engine;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Run> _runs = new();
    private readonly object _gate = new();
    private SessionNetwork? _network;
    private long _lastActivityTicks = Environment.TickCount64;
    private int _disposed;

    public EngineSession(ExecutionEngine engine, ILogger logger)
    {
        _engine = engine;
        _logger = logger;
        Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    }

    public string Id { get; }

    public IReadOnlyCollection<IRunHandle> ActiveRuns => _runs.Values.ToList();

    /// <summary>Milliseconds (<see cref="Environment.TickCount64"/>) of the last run start or end.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivityTicks);

    public string? NetworkName => Volatile.Read(ref _network)?.NetworkName;

    /// <summary>The containers of the session's network mode, for tests.</summary>
    internal IReadOnlyList<string> NetworkContainerIds => Volatile.Read(ref _network)?.ContainerIds ?? [];

    public IRunHandle StartRun(RunRequest request)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var run = new Run(RunPlanner.Plan(request, _engine.Catalog, _engine.Options.Requests));
        var source = request.Mode == RunMode.Network ? Network() : _engine.FastSource;
        _runs[run.Id] = run;
        Touch();
        _ = ExecuteAsync(run, source);
        return run;
    }

    private async Task ExecuteAsync(Run run, IContainerSource source)
    {
        try
        {
            await RunExecutor.ExecuteAsync(run, source, _engine.Options.MaxRunsPerContainer, _logger).ConfigureAwait(false);
        }
        finally
        {
            _runs.TryRemove(run.Id, out _);
            Touch();
        }
    }

    private SessionNetwork Network()
    {
        lock (_gate)
        {
            return _network ??= _engine.CreateSessionNetwork();
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

        var runs = _runs.Values.ToList();
        foreach (var run in runs)
        {
            await run.StopAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(runs.Select(r => r.Completion)).WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.SessionRunsLingered(_logger, Id, runs.Count(r => !r.Completion.IsCompleted));
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
