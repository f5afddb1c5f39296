using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Engine.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine;

/// <summary>A language the engine runs, for the UI.</summary>
public sealed record LanguageInfo(string Id, string DisplayName, IReadOnlyList<string> Extensions, string? Problem);

/// <summary>What the engine holds now, for diagnostics.</summary>
public sealed record EngineStatus(string? Problem, int Sessions, int ActiveRuns, IReadOnlyList<PoolStatus> Pools, int NetworkKitsReady);

/// <summary>A fast-mode pool: containers warm and waiting, and all it owns.</summary>
public sealed record PoolStatus(string Runtime, int Warm, int Live);

/// <summary>The execution engine: sessions, the warm pools behind them, and the state of Docker.</summary>
public interface IExecutionEngine
{
    IReadOnlyList<LanguageInfo> Languages { get; }

    /// <summary>Null while Docker answers and the images are present; otherwise a sentence saying what is wrong and what to do.</summary>
    string? Problem { get; }

    /// <summary>Completes when every pool holds its warm containers (or could not, see <see cref="Problem"/>).</summary>
    Task Warmed { get; }

    IEngineSession CreateSession();

    EngineStatus GetStatus();
}

/// <inheritdoc cref="IExecutionEngine"/>
internal sealed class ExecutionEngine : IExecutionEngine, IAsyncDisposable
{
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromSeconds(5);

    private readonly ContainerFactory _factory;
    private readonly IContainerOperations _containers;
    private readonly INetworkOperations _networks;
    private readonly IImageOperations _images;
    private readonly ISystemOperations _system;
    private readonly EngineLabels _labels;
    private readonly ResourceSweeper _sweeper;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new();
    private readonly Dictionary<Runtime, WarmPool> _pools = [];
    private readonly NetworkKitPool _kits;
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private Task _maintenance = Task.CompletedTask;
    private string? _problem;
    private int _disposed;

    public ExecutionEngine(
        IOptions<EngineOptions> options,
        RuntimeCatalog catalog,
        ContainerFactory factory,
        IContainerOperations containers,
        INetworkOperations networks,
        IImageOperations images,
        ISystemOperations system,
        EngineLabels labels,
        ILoggerFactory loggerFactory)
    {
        Options = options.Value;
        Catalog = catalog;
        _factory = factory;
        _containers = containers;
        _networks = networks;
        _images = images;
        _system = system;
        _labels = labels;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ExecutionEngine>();
        _sweeper = new ResourceSweeper(containers, networks, _logger);
        _kits = new NetworkKitPool(() => Catalog.Runtimes.Where(r => !r.ImageMissing).ToList(), factory, containers, networks,
            labels, Options, loggerFactory.CreateLogger<NetworkKitPool>());
        FastSource = new PoolSource(_pools);
    }

    public EngineOptions Options { get; }
    public RuntimeCatalog Catalog { get; }
    internal IContainerSource FastSource { get; }
    internal IReadOnlyDictionary<Runtime, WarmPool> Pools => _pools;

    public IReadOnlyList<LanguageInfo> Languages =>
        Catalog.Languages.Select(l => new LanguageInfo(l.Id, l.DisplayName, l.Extensions, l.Runtime.ImageProblem)).ToList();

    public string? Problem => Volatile.Read(ref _problem);

    public Task Warmed => _warmed.Task;

    /// <summary>Connects to Docker, sweeps what dead engines left, and warms the pools in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var runtime in Catalog.Runtimes)
        {
            var spec = new PoolSpec(runtime, "none", _labels.For(Labels.RolePool, pool: runtime.Name), Options.PoolSize,
                Options.MaxContainersPerRuntime, Options.AcquireTimeout, Options.PoolTrimAfter);
            _pools[runtime] = new WarmPool(spec, _factory, _loggerFactory.CreateLogger<WarmPool>());
        }

        if (Options.ProtectHost)
        {
            await new HostFirewall(_logger).EnsureAsync(cancellationToken).ConfigureAwait(false);
        }

        var connected = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _maintenance = Task.Run(() => MaintainAsync(connected, _lifetime.Token), CancellationToken.None);
    }

    public IEngineSession CreateSession()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var session = new EngineSession(this, _logger);
        _sessions[session.Id] = session;
        return session;
    }

    public EngineStatus GetStatus() => new(
        Problem,
        _sessions.Count,
        _sessions.Values.Sum(s => s.ActiveRuns.Count),
        _pools.Values.Select(p => new PoolStatus(p.Runtime.Name, p.IdleCount, p.LiveCount)).ToList(),
        _kits.ReadyCount);

    internal SessionNetwork CreateSessionNetwork() => new(_kits, _factory, _containers, _labels, Options, _logger);

    internal void Forget(EngineSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Checks Docker and the images; on success sweeps orphans and warms every pool whose image exists.</summary>
    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Catalog.CheckImagesAsync(_images, _logger, cancellationToken).ConfigureAwait(false);
            await _sweeper.SweepOrphansAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            if (Problem != ex.Message)
            {
                Log.DockerUnavailable(_logger, ex.Message);
            }

            Volatile.Write(ref _problem, ex.Message);
            return false;
        }

        var missing = Catalog.Runtimes.Where(r => r.ImageMissing).Select(r => r.ImageProblem).ToList();
        Volatile.Write(ref _problem, missing.Count == 0 ? null : string.Join(" ", missing));
        _ = WarmAllAsync();
        return true;
    }

    private async Task WarmAllAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var pools = _pools.Values.Where(p => !p.Runtime.ImageMissing).ToList();
        await Task.WhenAll(pools.Select(p => p.WarmAsync(_lifetime.Token))).ConfigureAwait(false);
        Log.PoolsWarm(_logger, pools.Sum(p => p.IdleCount), pools.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await _kits.WarmAsync(_lifetime.Token).ConfigureAwait(false); // after the pools: fast mode is what most runs use
        _warmed.TrySetResult();
    }

    /// <summary>Notices Docker going away and coming back, keeps pools full, and sweeps idle sessions and orphans.</summary>
    private async Task MaintainAsync(bool connected, CancellationToken cancellationToken)
    {
        var lastSweep = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(MaintenanceInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!connected)
                {
                    connected = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (connected)
                    {
                        Log.DockerBack(_logger);
                        await ForgetSessionNetworksAsync().ConfigureAwait(false);
                    }

                    continue;
                }

                try
                {
                    await _system.PingAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (DockerUnavailableException ex)
                {
                    Log.DockerUnavailable(_logger, ex.Message);
                    Volatile.Write(ref _problem, ex.Message);
                    connected = false;
                    continue;
                }

                foreach (var pool in _pools.Values.Where(p => !p.Runtime.ImageMissing))
                {
                    pool.Replenish();
                    pool.Trim();
                }

                _kits.Prune();
                _kits.Replenish();
                if (Stopwatch.GetElapsedTime(lastSweep) >= Options.SweepInterval)
                {
                    lastSweep = Stopwatch.GetTimestamp();
                    await SweepAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>After Docker restarted, every session network's containers are gone: sessions start network mode afresh.</summary>
    private async Task ForgetSessionNetworksAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.ReleaseNetworkIfIdleAsync(TimeSpan.Zero, evenWithRuns: true).ConfigureAwait(false);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var session in _sessions.Values)
            {
                await session.ReleaseNetworkIfIdleAsync(Options.SessionIdleTimeout).ConfigureAwait(false);
            }

            await _sweeper.SweepOrphansAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(_logger, ex.Message);
        }
    }

    /// <summary>Stops every run and removes every container and network this engine created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _maintenance.ConfigureAwait(false);
        await Task.WhenAll(_sessions.Values.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        await Task.WhenAll(_pools.Values.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _kits.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _sweeper.RemoveOwnedAsync(_labels.Owner).ConfigureAwait(false); // what a cancelled creation left, if anything
        }
        catch (DockerUnavailableException ex)
        {
            Log.DockerUnavailable(_logger, ex.Message); // what is left is swept as orphans by the next start
        }
        _warmed.TrySetResult();
        _lifetime.Dispose();
        Log.EngineStopped(_logger);
    }

    /// <summary>Fast mode: the warm pool of the run's runtime.</summary>
    private sealed class PoolSource(IReadOnlyDictionary<Runtime, WarmPool> pools) : IContainerSource
    {
        public Task<RuntimeContainer> AcquireAsync(Runtime runtime, Run run, CancellationToken cancellationToken) =>
            pools[runtime].AcquireAsync(run.System, cancellationToken);

        public void RunFinished(RuntimeContainer container) => pools[container.Runtime].RunFinished(container);

        public void Release(RuntimeContainer container, bool reusable)
        {
            var pool = pools[container.Runtime];
            if (reusable)
            {
                pool.Return(container);
            }
            else
            {
                pool.Retire(container);
            }
        }
    }
}
