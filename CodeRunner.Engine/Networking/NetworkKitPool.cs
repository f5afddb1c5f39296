using System.Security.Cryptography;
using System.Threading.Channels;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Networking;

/// <summary>Keeps network-mode kits warm, so that a session's first network-mode run does not wait for containers.</summary>
internal sealed class NetworkKitPool(
    Func<IReadOnlyList<Runtime>> runtimes,
    string agentImage,
    ContainerFactory factory,
    IContainerOperations containers,
    INetworkOperations networks,
    EngineLabels labels,
    EngineOptions options,
    ILogger logger) : IAsyncDisposable
{
    private readonly SubnetAllocator _subnets = new(options.SessionSubnets, options.SessionSubnetPrefix);
    private readonly int _target = options.NetworkKits;

    /// <summary>The bridge's name says its egress, which the firewall rules go by (<see cref="HostFirewall"/>).</summary>
    private string BridgePrefix => options.NetworkEgress == NetworkEgress.Internet ? HostFirewall.InternetPrefix : HostFirewall.NoEgressPrefix;
    private readonly Channel<NetworkKit> _ready = Channel.CreateUnbounded<NetworkKit>();
    private readonly BackgroundWork _work = new();
    private readonly CancellationTokenSource _lifetime = new();
    private int _live;
    private int _disposed;

    public int ReadyCount => _ready.Reader.Count;

    public void Replenish()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            if (Interlocked.Increment(ref _live) > _target)
            {
                Interlocked.Decrement(ref _live);
                return;
            }

            _work.Track(FillAsync());
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
            _ = DestroyAsync(kit);
        }

        intact.ForEach(k => _ready.Writer.TryWrite(k));
    }

    public Task WarmAsync(CancellationToken cancellationToken = default)
    {
        Replenish();
        return _work.WhenIdleAsync(cancellationToken);
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

            _ = DestroyAsync(kit);
        }

        return false;
    }

    /// <summary>Creates a kit: its network and holder, and a container of each of <paramref name="kitRuntimes"/>.</summary>
    public async Task<NetworkKit> CreateAsync(IReadOnlyList<Runtime> kitRuntimes, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var (subnet, networkId) = await CreateNetworkAsync(id, cancellationToken).ConfigureAwait(false);
        AttachedContainer? holder = null;
        var created = new List<Task<RuntimeContainer>>();
        try
        {
            holder = await containers.RunAsync(ContainerFactory.HolderSpec(agentImage, NetworkKit.NameFor(id), labels.For(Labels.RoleHolder, kit: id)),
                cancellationToken).ConfigureAwait(false);
            created.AddRange(kitRuntimes.Select(r => factory.CreateAsync(r, $"container:{holder.Id}",
                labels.For(Labels.RoleSession, pool: r.Name, kit: id), CreationPriority.Refill, cancellationToken)));
            return new NetworkKit(id, subnet, networkId, holder.Id, await Task.WhenAll(created).ConfigureAwait(false));
        }
        catch
        {
            await Task.WhenAll(created.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            var made = created.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
            await DestroyAsync(new NetworkKit(id, subnet, networkId, holder?.Id ?? "", made)).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Removes the kit's containers (unless a session's pools own them now), then its holder, then its network.</summary>
    public async Task DestroyAsync(NetworkKit kit, bool includingContainers = true)
    {
        if (includingContainers)
        {
            await Task.WhenAll(kit.Containers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        }

        if (kit.HolderId.Length > 0)
        {
            await containers.RemoveAsync(kit.HolderId).ConfigureAwait(false);
        }

        await networks.RemoveAsync(kit.NetworkId).ConfigureAwait(false);
        _subnets.Release(kit.Subnet);
    }

    /// <summary>Makes the network on the next free subnet, skipping subnets that something outside the engine uses.</summary>
    private async Task<(string Subnet, string NetworkId)> CreateNetworkAsync(string id, CancellationToken cancellationToken)
    {
        var skipped = new List<string>();
        try
        {
            while (true)
            {
                var subnet = _subnets.Take();
                try
                {
                    return (subnet, await networks.CreateAsync(NetworkKit.NameFor(id), labels.For(Labels.RoleNetwork, kit: id), subnet,
                        BridgePrefix + id, isInternal: options.NetworkEgress == NetworkEgress.None, cancellationToken).ConfigureAwait(false));
                }
                catch (SubnetInUseException) when (skipped.Count < 64)
                {
                    skipped.Add(subnet); // held until this kit is made, so that the next try takes another
                }
                catch
                {
                    _subnets.Release(subnet);
                    throw;
                }
            }
        }
        finally
        {
            skipped.ForEach(_subnets.Release);
        }
    }

    private async Task FillAsync()
    {
        try
        {
            var kit = await CreateAsync(runtimes(), _lifetime.Token).ConfigureAwait(false);
            if (Volatile.Read(ref _disposed) != 0 || !_ready.Writer.TryWrite(kit))
            {
                await DestroyAsync(kit).ConfigureAwait(false);
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
        await _work.WhenIdleAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        await foreach (var kit in _ready.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await DestroyAsync(kit).ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }
}
