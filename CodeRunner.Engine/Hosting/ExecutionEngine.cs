using System.Collections.Concurrent;
using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Networking;
using CodeRunner.Engine.Notebooks;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using CodeRunner.Engine.Sessions;
using CodeRunner.Engine.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodeRunner.Engine.Hosting;

/// <inheritdoc cref="IExecutionEngine"/>
/// <remarks>It holds the pools, the sessions and what is known of Docker and the firewall; <see cref="EngineMaintenance"/> keeps them current.</remarks>
internal sealed class ExecutionEngine : IExecutionEngine, IAsyncDisposable
{
    private readonly ContainerFactory _factory;
    private readonly ContainerReset _reset;
    private readonly IContainerOperations _containers;
    private readonly IImageOperations _images;
    private readonly ISystemOperations _system;
    private readonly EngineLabels _labels;
    private readonly ResourceSweeper _sweeper;
    private readonly HostFirewall _firewall;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new();
    private readonly Dictionary<Runtime, WarmPool> _pools = [];
    private readonly NetworkKitPool _kits;
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private string? _problem;
    private string? _networkProblem;
    private int _networkSessions;
    private int _disposed;

    public ExecutionEngine(
        IOptions<EngineOptions> options,
        RuntimeCatalog catalog,
        ContainerFactory factory,
        ContainerReset reset,
        HostFirewall firewall,
        IContainerOperations containers,
        INetworkOperations networks,
        IImageOperations images,
        ISystemOperations system,
        EngineLabels labels,
        EngineMetrics metrics,
        ILoggerFactory loggerFactory)
    {
        Metrics = metrics;
        Options = options.Value;
        Catalog = catalog;
        _factory = factory;
        _reset = reset;
        _firewall = firewall;
        _containers = containers;
        _images = images;
        _system = system;
        _labels = labels;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ExecutionEngine>();
        _sweeper = new ResourceSweeper(containers, networks, _logger);
        _kits = new NetworkKitPool(() => Catalog.Sandboxes.Where(r => !r.ImageMissing).ToList(), Catalog.AgentImage, factory, containers, networks,
            labels, Options, loggerFactory.CreateLogger<NetworkKitPool>());
        FastSource = new PoolSource(_pools);
        if (Catalog.Runtimes.FirstOrDefault(r => r.Service == RuntimeCatalog.PostgresService) is { } postgres)
        {
            Sql = new SqlServer(postgres, containers, networks, labels, Options.Sql, loggerFactory.CreateLogger<SqlServer>());
        }

        metrics.Observe(this);
    }

    internal EngineMetrics Metrics { get; }

    internal int SessionCount => _sessions.Count;

    /// <summary>The open sessions, for administration.</summary>
    internal ICollection<EngineSession> Sessions => _sessions.Values;

    internal int NetworkSessionCount => Volatile.Read(ref _networkSessions);

    internal int SqlDatabaseCount => _sessions.Values.Count(s => s.SqlDatabase is not null);

    /// <summary>The PostgreSQL server of SQL runs, when a runtime provides it.</summary>
    internal SqlServer? Sql { get; }

    public EngineOptions Options { get; }
    public RuntimeCatalog Catalog { get; }
    internal IContainerSource FastSource { get; }
    internal IReadOnlyDictionary<Runtime, WarmPool> Pools => _pools;

    /// <summary>Whether Docker answered the last time it was asked.</summary>
    internal bool Connected { get; private set; }

    public IReadOnlyList<LanguageInfo> Languages => Catalog.Languages.Select(l => l.ToInfo()).ToList();

    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Null while network mode may be used; otherwise why not, in a sentence that says what to do.</summary>
    public string? NetworkProblem => Volatile.Read(ref _networkProblem);

    public Task Warmed => _warmed.Task;

    /// <summary>Sets the firewall rules, connects to Docker, sweeps what dead engines left, and warms the pools in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        foreach (var runtime in Catalog.Sandboxes)
        {
            var spec = new PoolSpec(runtime, "none", _labels.For(Labels.RolePool, pool: runtime.Name), Options.PoolSize,
                Options.MaxContainersPerRuntime, Options.AcquireTimeout, Options.PoolTrimAfter);
            _pools[runtime] = new WarmPool(spec, _factory, _reset, _loggerFactory.CreateLogger<WarmPool>());
        }

        if (!Options.ProtectHost)
        {
            Log.HostUnprotected(_logger);
        }

        await CheckFirewallAsync(cancellationToken).ConfigureAwait(false);
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
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
        _pools.Values.Select(p => new PoolStatus(p.Runtime.Name, p.IdleCount, p.LiveCount, p.WaitingCount)).ToList(),
        _kits.ReadyCount,
        Volatile.Read(ref _networkSessions),
        NetworkProblem);

    /// <summary>
    /// A network for a session that turns network mode on, or a refusal that says why not: the firewall rules are not
    /// in place (network mode never runs without them), or <see cref="EngineOptions.MaxNetworkSessions"/> sessions use it.
    /// Dispose the network to give its place back.
    /// </summary>
    internal SessionNetwork EnterNetworkMode(string sessionId)
    {
        if (NetworkProblem is { } problem)
        {
            throw new NetworkModeUnavailableException(problem);
        }

        if (Interlocked.Increment(ref _networkSessions) > Options.MaxNetworkSessions)
        {
            Interlocked.Decrement(ref _networkSessions);
            throw new NetworkModeUnavailableException(
                $"Network mode is full: this server allows {Options.MaxNetworkSessions} sessions in network mode at once " +
                $"({EngineOptions.SectionName}:MaxNetworkSessions), and that many use it now. Turn network mode off to run now, " +
                "or try again when a session leaves it.");
        }

        return new SessionNetwork(sessionId, _kits, _factory, _reset, _containers, _labels, Options, _logger,
            () => Interlocked.Decrement(ref _networkSessions));
    }

    /// <summary>What a session's notebook kernels need: the Python runtime, and containers taken from its pool for good.</summary>
    /// <exception cref="RuntimeUnavailableException">The Python image is missing.</exception>
    internal KernelSetup KernelSetup(string sessionId)
    {
        var runtime = Catalog.Find("python")?.Runtime
            ?? throw new RuntimeUnavailableException("Notebooks need the Python runtime, and this server has none.");
        if (runtime.ImageMissing)
        {
            throw new RuntimeUnavailableException(runtime.ImageProblem ?? "The image for Python is missing.");
        }

        return new KernelSetup(runtime, RunPlanner.EnvironmentOf(runtime), Options.Kernels, Options.Requests,
            cancellationToken => TakeContainerAsync(runtime, sessionId, cancellationToken));
    }

    private async Task<RuntimeContainer> TakeContainerAsync(Runtime runtime, string sessionId, CancellationToken cancellationToken)
    {
        var pool = _pools[runtime];
        var container = await pool.AcquireAsync(new ContainerRequest(runtime, sessionId, SilentProgress.Instance), cancellationToken).ConfigureAwait(false);
        pool.Detach(container);
        return container;
    }

    /// <summary>The notebook kernels open over every session.</summary>
    internal int KernelCount => _sessions.Values.Sum(s => s.KernelCount);

    internal void Forget(EngineSession session) => _sessions.TryRemove(session.Id, out _);

    /// <summary>Checks Docker and the images; on success sweeps orphans and warms every pool whose image exists.</summary>
    internal async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Catalog.CheckImagesAsync(_images, _logger, cancellationToken).ConfigureAwait(false);
            await _sweeper.SweepOrphansAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DockerUnavailableException ex)
        {
            Disconnected(ex);
            return false;
        }

        var missing = Catalog.Runtimes.Where(r => r.ImageMissing).Select(r => r.ImageProblem).ToList();
        Volatile.Write(ref _problem, missing.Count == 0 ? null : string.Join(" ", missing));
        Connected = true;
        _ = WarmAllAsync();
        return true;
    }

    /// <summary>Asks Docker whether it is still there; false (and <see cref="Problem"/> says why) when not.</summary>
    internal async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _system.PingAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerUnavailableException ex)
        {
            Disconnected(ex);
            return false;
        }
    }

    /// <summary>Starts creating what the pools and kits lack, and trims what a rush left over.</summary>
    internal void KeepPoolsFull()
    {
        foreach (var pool in _pools.Values.Where(p => !p.Runtime.ImageMissing))
        {
            pool.Replenish();
            pool.Trim();
        }

        _kits.Prune();
        if (NetworkProblem is null)
        {
            _kits.Replenish();
        }
    }

    /// <summary>
    /// Makes sure the firewall rules are in place, writing them again when something removed them (a firewall or
    /// Docker restart, an administrator). When they cannot be, network mode is refused and every session's network
    /// is removed at once: network mode never runs without them.
    /// </summary>
    internal async Task CheckFirewallAsync(CancellationToken cancellationToken)
    {
        if (!Options.ProtectHost)
        {
            return;
        }

        string? reason;
        try
        {
            reason = await _firewall.EnsureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reason = ex.Message; // whatever went wrong, the rules are not known to be in place: network mode waits
        }

        var problem = reason is null
            ? null
            : $"Network mode is off on this server: the firewall rules that keep network-mode programs inside their session " +
              $"could not be set ({reason}). The administrator must run CodeRunner as root on a host with iptables; " +
              "network mode comes back by itself once the rules are set.";
        var before = Interlocked.Exchange(ref _networkProblem, problem);
        if (problem is not null && before is null)
        {
            Log.HostFirewallMissing(_logger, problem);
            await ForgetSessionNetworksAsync().ConfigureAwait(false);
        }
        else if (problem is null && before is not null)
        {
            Log.HostFirewallRestored(_logger);
        }
    }

    /// <summary>After Docker restarted, or without firewall rules, every session network is dropped: network mode starts afresh.</summary>
    internal async Task ForgetSessionNetworksAsync()
    {
        foreach (var session in _sessions.Values)
        {
            await session.ReleaseNetworkIfIdleAsync(TimeSpan.Zero, evenWithRuns: true).ConfigureAwait(false);
        }
    }

    /// <summary>Releases idle sessions' networks and removes what dead engines left; never throws but for cancellation.</summary>
    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var session in _sessions.Values)
            {
                await session.ReleaseNetworkIfIdleAsync(Options.SessionIdleTimeout).ConfigureAwait(false);
            }

            await _sweeper.SweepOrphansAsync(cancellationToken).ConfigureAwait(false);
            if (Sql is not null)
            {
                await Sql.SweepAsync(_sessions.Keys.ToHashSet(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SweepFailed(_logger, ex.Message);
        }
    }

    private void Disconnected(DockerUnavailableException ex)
    {
        if (Problem != ex.Message)
        {
            Log.DockerUnavailable(_logger, ex.Message);
        }

        Volatile.Write(ref _problem, ex.Message);
        Connected = false;
    }

    private async Task WarmAllAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var pools = _pools.Values.Where(p => !p.Runtime.ImageMissing).ToList();
        await Task.WhenAll(pools.Select(p => p.WarmAsync(_lifetime.Token))).ConfigureAwait(false);
        Log.PoolsWarm(_logger, pools.Sum(p => p.IdleCount), pools.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        await WarmSqlAsync().ConfigureAwait(false);
        if (NetworkProblem is null)
        {
            await _kits.WarmAsync(_lifetime.Token).ConfigureAwait(false); // after the pools: fast mode is what most runs use
        }

        Log.EngineWarm(_logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        _warmed.TrySetResult();
    }

    /// <summary>Starts the SQL server ahead of the first SQL run; a failure is said again by the run that needs it.</summary>
    private async Task WarmSqlAsync()
    {
        if (Sql is null || Sql.Runtime.ImageMissing)
        {
            return;
        }

        try
        {
            await Sql.WarmAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqlUnavailableException or OperationCanceledException or ObjectDisposedException)
        {
            // The first SQL run tries again, and says why if it cannot.
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
        await Task.WhenAll(_sessions.Values.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        await Task.WhenAll(_pools.Values.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
        await _kits.DisposeAsync().ConfigureAwait(false);
        if (Sql is not null)
        {
            await Sql.DisposeAsync().ConfigureAwait(false);
        }

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

    /// <summary>A kernel waits for its container without a console to say so in; its state says it is starting.</summary>
    private sealed class SilentProgress : IRunProgress
    {
        public static readonly SilentProgress Instance = new();

        public void Say(string message)
        {
        }

        public void Status(string status)
        {
        }
    }

    /// <summary>Fast mode: the warm pool of the run's runtime.</summary>
    private sealed class PoolSource(IReadOnlyDictionary<Runtime, WarmPool> pools) : IContainerSource
    {
        public Task<RuntimeContainer> AcquireAsync(ContainerRequest request, CancellationToken cancellationToken) =>
            pools[request.Runtime].AcquireAsync(request, cancellationToken);

        public Task ReleaseAsync(RuntimeContainer container, bool reusable) => pools[container.Runtime].ReleaseAsync(container, reusable);
    }
}
