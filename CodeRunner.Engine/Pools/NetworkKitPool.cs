using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// A network-mode session's resources, made ahead of time: its bridge network <c>coderunner-session-{Id}</c> (host
/// interface <c>cr-{Id}</c>), a holder container on it that owns the network namespace, and a warm container of each
/// runtime inside that namespace. A session that turns network mode on takes one and runs at once.
/// </summary>
internal sealed class NetworkKit(string id, string networkId, string holderId, IReadOnlyList<RuntimeContainer> containers)
{
    /// <summary>The host interface of every session network starts with this, so that one firewall rule covers them all.</summary>
    public const string BridgePrefix = "cr-";

    public string Id { get; } = id;
    public string NetworkId { get; } = networkId;
    public string NetworkName => NameFor(Id);
    public string HolderId { get; } = holderId;
    public IReadOnlyList<RuntimeContainer> Containers { get; } = containers;
    public bool Intact => Containers.All(c => c.Agent.IsOpen);

    public static string NameFor(string id) => $"coderunner-session-{id}";

    /// <summary>Removes the containers, then the holder, then the network.</summary>
    public async Task DestroyAsync(IContainerOperations containerOperations, INetworkOperations networkOperations)
    {
        await Task.WhenAll(Containers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        if (HolderId.Length > 0)
        {
            await containerOperations.RemoveAsync(HolderId).ConfigureAwait(false);
        }

        await networkOperations.RemoveAsync(NetworkId).ConfigureAwait(false);
    }
}

/// <summary>Keeps network-mode kits warm, so that a session's first network-mode run does not wait for containers.</summary>
internal sealed class NetworkKitPool(
    Func<IReadOnlyList<Runtime>> runtimes,
    ContainerFactory factory,
    IContainerOperations containers,
    INetworkOperations networks,
    EngineLabels labels,
    int target,
    ILogger logger) : IAsyncDisposable
{
    private readonly Channel<NetworkKit> _ready = Channel.CreateUnbounded<NetworkKit>();
    private readonly ConcurrentDictionary<Task, bool> _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private int _live;
    private int _disposed;

    public int ReadyCount => _ready.Reader.Count;

    public void Replenish()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            if (Interlocked.Increment(ref _live) > target)
            {
                Interlocked.Decrement(ref _live);
                return;
            }

            var creation = FillAsync();
            _pending[creation] = true;
            _ = creation.ContinueWith(t => _pending.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>Destroys warm kits whose containers died (a Docker restart, say), so that they are made again.</summary>
    public void Prune()
    {
        var intact = new List<NetworkKit>();
        while (_ready.Reader.TryRead(out var kit))
        {
            if (kit.Intact)
            {
                intact.Add(kit);
                continue;
            }

            Interlocked.Decrement(ref _live);
            _ = kit.DestroyAsync(containers, networks);
        }

        intact.ForEach(k => _ready.Writer.TryWrite(k));
    }

    public async Task WarmAsync(CancellationToken cancellationToken = default)
    {
        Replenish();
        await Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes a warm, intact kit if there is one, and starts making its replacement.</summary>
    public bool TryTake(out NetworkKit kit)
    {
        while (_ready.Reader.TryRead(out kit!))
        {
            Interlocked.Decrement(ref _live);
            Replenish();
            if (kit.Intact)
            {
                return true;
            }

            _ = kit.DestroyAsync(containers, networks);
        }

        return false;
    }

    /// <summary>Creates a kit: its network and holder, and a container of each of <paramref name="kitRuntimes"/>.</summary>
    public async Task<NetworkKit> CreateAsync(IReadOnlyList<Runtime> kitRuntimes, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var networkId = await networks.CreateAsync(NetworkKit.NameFor(id), labels.For(Labels.RoleSession, session: id),
                NetworkKit.BridgePrefix + id, cancellationToken)
            .ConfigureAwait(false);
        AttachedContainer? holder = null;
        var created = new List<Task<RuntimeContainer>>();
        try
        {
            holder = await containers.RunAsync(ContainerFactory.HolderSpec(NetworkKit.NameFor(id), labels.For(Labels.RoleHolder, session: id)),
                cancellationToken).ConfigureAwait(false);
            created.AddRange(kitRuntimes.Select(r => factory.CreateAsync(r, $"container:{holder.Id}",
                labels.For(Labels.RoleSession, pool: r.Name, session: id), cancellationToken)));
            return new NetworkKit(id, networkId, holder.Id, await Task.WhenAll(created).ConfigureAwait(false));
        }
        catch
        {
            await Task.WhenAll(created.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            var made = created.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
            await new NetworkKit(id, networkId, holder?.Id ?? "", made).DestroyAsync(containers, networks).ConfigureAwait(false);
            throw;
        }
    }

    private async Task FillAsync()
    {
        try
        {
            var kit = await CreateAsync(runtimes(), _lifetime.Token).ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) != 0 || !_ready.Writer.TryWrite(kit))
            {
                await kit.DestroyAsync(containers, networks).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Interlocked.Decrement(ref _live);
            if (Volatile.Read(ref _disposed) == 0)
            {
                Log.PoolCreateFailed(logger, "network kit", ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pending.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        _ready.Writer.TryComplete();
        await foreach (var kit in _ready.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await kit.DestroyAsync(containers, networks).ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }
}
