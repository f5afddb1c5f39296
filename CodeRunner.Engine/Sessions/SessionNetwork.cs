using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Networking;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Sessions;

/// <summary>
/// A session's network mode: its own bridge network, a holder container that owns the network namespace, and a pool
/// per runtime of containers that joined that namespace, so that every run of the session shares one <c>localhost</c>.
/// It starts from a warm kit when there is one.
/// </summary>
internal sealed class SessionNetwork(
    string sessionId,
    NetworkKitPool kits,
    ContainerFactory factory,
    ContainerReset reset,
    IContainerOperations containers,
    EngineLabels labels,
    EngineOptions options,
    ILogger logger,
    Action onDisposed) : IContainerSource, IAsyncDisposable
{
    private readonly SemaphoreSlim _setup = new(1, 1);
    private readonly Dictionary<Runtime, WarmPool> _pools = [];
    private NetworkKit? _kit;
    private int _disposed;

    /// <summary>The session's network, once it exists.</summary>
    public string? NetworkName => Volatile.Read(ref _kit)?.NetworkName;

    /// <summary>The session's holder and runtime containers.</summary>
    public IReadOnlyList<string> ContainerIds
    {
        get
        {
            lock (_pools)
            {
                return _pools.Values.SelectMany(p => p.ContainerIds).Concat(_kit is null ? [] : [_kit.HolderId]).ToList();
            }
        }
    }

    public async Task<RuntimeContainer> AcquireAsync(ContainerRequest request, CancellationToken cancellationToken)
    {
        var kit = await EnsureNetworkAsync(request.Progress, cancellationToken).ConfigureAwait(false);

        // Without a warm container a new one must join the holder's namespace: make sure the holder is still there
        // (a Docker restart takes it, and every container of the session, away).
        if (Pool(request.Runtime).IdleCount == 0 && !await containers.IsRunningAsync(kit.HolderId, cancellationToken).ConfigureAwait(false))
        {
            request.Progress.Say("network mode: the session network was lost (was Docker restarted?): making a new one…");
            await ReplaceAsync(kit).ConfigureAwait(false);
            await EnsureNetworkAsync(request.Progress, cancellationToken).ConfigureAwait(false);
        }

        return await Pool(request.Runtime).AcquireAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(RuntimeContainer container, bool reusable)
    {
        WarmPool pool;
        try
        {
            pool = Pool(container.Runtime);
        }
        catch (InvalidOperationException)
        {
            // The session closed, or lost its network, while this run ended: the pools it came from are gone.
            await container.DisposeAsync().ConfigureAwait(false);
            return;
        }

        await pool.ReleaseAsync(container, reusable).ConfigureAwait(false);
    }

    private WarmPool Pool(Runtime runtime)
    {
        lock (_pools)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_pools.TryGetValue(runtime, out var pool))
            {
                var kit = _kit ?? throw new InvalidOperationException("The session network is not set up.");
                var spec = new PoolSpec(runtime, $"container:{kit.HolderId}",
                    labels.For(Labels.RoleSession, pool: runtime.Name, kit: kit.Id, session: sessionId),
                    Target: 0, Max: options.MaxSessionContainersPerRuntime, options.AcquireTimeout, options.PoolTrimAfter);
                _pools[runtime] = pool = new WarmPool(spec, factory, reset, logger);
            }

            return pool;
        }
    }

    /// <summary>Takes a warm kit, or makes a network and holder when none is warm.</summary>
    private async Task<NetworkKit> EnsureNetworkAsync(IRunProgress progress, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _kit) is { } ready)
        {
            return ready;
        }

        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_kit is not null)
            {
                return _kit;
            }

            var started = Stopwatch.GetTimestamp();
            if (!kits.TryTake(out var kit))
            {
                progress.Say("network mode: creating session network…");
                kit = await kits.CreateAsync([], cancellationToken).ConfigureAwait(false);
            }

            lock (_pools)
            {
                _kit = kit;
            }

            foreach (var container in kit.Containers)
            {
                Pool(container.Runtime).Seed(container);
            }

            progress.Say($"network mode: this session's programs share the network {kit.NetworkName}");
            Log.SessionNetworkCreated(logger, sessionId, kit.NetworkName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return kit;
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>Drops a lost network (unless another run replaced it already), so that the next run makes a new one.</summary>
    private async Task ReplaceAsync(NetworkKit lost)
    {
        await _setup.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_kit, lost))
            {
                await TearDownAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>Removes the session's containers, then its holder, then its network.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _setup.WaitAsync().ConfigureAwait(false); // a network being set up is finished first, then removed
        try
        {
            await TearDownAsync().ConfigureAwait(false);
        }
        finally
        {
            _setup.Release();
            onDisposed();
        }
    }

    /// <summary>Called with the setup gate held.</summary>
    private async Task TearDownAsync()
    {
        List<WarmPool> pools;
        NetworkKit? kit;
        lock (_pools)
        {
            pools = [.. _pools.Values];
            _pools.Clear();
            kit = _kit;
            _kit = null;
        }

        await Task.WhenAll(pools.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (kit is not null)
        {
            // The kit's containers belonged to the pools, which removed them; what is left is the holder and network.
            await kits.DestroyAsync(kit, includingContainers: false).ConfigureAwait(false);
            Log.SessionNetworkRemoved(logger, sessionId, kit.NetworkName);
        }
    }
}
