using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Sessions;

/// <summary>
/// A session's network mode: its own bridge network, a holder container that owns the network namespace, and a pool
/// per runtime of containers that joined that namespace, so that every run of the session shares one <c>localhost</c>.
/// </summary>
internal sealed class SessionNetwork(
    string sessionId,
    NetworkKitPool kits,
    ContainerFactory factory,
    IContainerOperations containers,
    INetworkOperations networks,
    EngineOptions options,
    ILogger logger) : IContainerSource, IAsyncDisposable
{
    private readonly SemaphoreSlim _setup = new(1, 1);
    private readonly Dictionary<Runtime, WarmPool> _pools = [];
    private string? _networkId;
    private string? _holderId;
    private int _disposed;

    public string NetworkName { get; } = $"coderunner-session-{sessionId}";

    /// <summary>The network's host interface: a fixed prefix, so that a host firewall rule can match every session.</summary>
    public string BridgeName { get; } = $"{SessionBridgePrefix}{sessionId}";

    public const string SessionBridgePrefix = "cr-";

    /// <summary>The session's holder and runtime containers.</summary>
    public IReadOnlyList<string> ContainerIds
    {
        get
        {
            lock (_pools)
            {
                return _pools.Values.SelectMany(p => p.ContainerIds).Concat(_holderId is null ? [] : [_holderId]).ToList();
            }
        }
    }

    public async Task<RuntimeContainer> AcquireAsync(Runtime runtime, Run run, CancellationToken cancellationToken)
    {
        await EnsureNetworkAsync(run, cancellationToken).ConfigureAwait(false);
        return await Pool(runtime).AcquireAsync(run.System, cancellationToken).ConfigureAwait(false);
    }

    public void RunFinished(RuntimeContainer container)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            Pool(container.Runtime).RunFinished(container);
        }
    }

    public void Release(RuntimeContainer container, bool reusable)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            _ = container.DisposeAsync().AsTask(); // the session closed while this run ended; its pools are gone
            return;
        }

        var pool = Pool(container.Runtime);
        if (reusable)
        {
            pool.Return(container);
        }
        else
        {
            pool.Retire(container);
        }
    }

    private WarmPool Pool(Runtime runtime)
    {
        lock (_pools)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_pools.TryGetValue(runtime, out var pool))
            {
                var labels = Labels.For(Labels.RoleSession, pool: runtime.Name, session: sessionId);
                var spec = new PoolSpec(runtime, $"container:{_holderId}", labels, Target: 0,
                    Max: options.MaxSessionContainersPerRuntime, options.AcquireTimeout);
                _pools[runtime] = pool = new WarmPool(spec, factory, logger);
            }

            return pool;
        }
    }

    /// <summary>Creates the network and puts a holder on it: a warm kit's when there is one, else a new one.</summary>
    private async Task EnsureNetworkAsync(Run run, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _networkId) is not null)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_networkId is not null)
            {
                return;
            }

            run.System("network mode: creating session network…");
            var started = Stopwatch.GetTimestamp();
            if (!kits.TryTake(out var kit))
            {
                kit = await kits.CreateAsync([], cancellationToken).ConfigureAwait(false);
            }

            string? id = null;
            try
            {
                id = await networks.CreateAsync(NetworkName, Labels.For(Labels.RoleSession, session: sessionId), BridgeName,
                    cancellationToken).ConfigureAwait(false);
                await networks.DisconnectAsync("none", kit.HolderId, cancellationToken).ConfigureAwait(false);
                await networks.ConnectAsync(id, kit.HolderId, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await kit.DestroyAsync(containers).ConfigureAwait(false);
                if (id is not null)
                {
                    await networks.RemoveAsync(id, CancellationToken.None).ConfigureAwait(false);
                }

                throw;
            }

            _holderId = kit.HolderId;
            foreach (var container in kit.Containers)
            {
                Pool(container.Runtime).Seed(container);
            }

            Volatile.Write(ref _networkId, id);
            Log.SessionNetworkCreated(logger, NetworkName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
            List<WarmPool> pools;
            lock (_pools)
            {
                pools = [.. _pools.Values];
                _pools.Clear();
            }

            await Task.WhenAll(pools.Select(p => p.DisposeAsync().AsTask())).ConfigureAwait(false);
            if (_holderId is not null)
            {
                await containers.RemoveAsync(_holderId).ConfigureAwait(false);
            }

            if (_networkId is not null)
            {
                await networks.RemoveAsync(_networkId).ConfigureAwait(false);
                Log.SessionNetworkRemoved(logger, NetworkName);
            }
        }
        finally
        {
            _setup.Release();
        }
    }
}
