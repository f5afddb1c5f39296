using System.Collections.Concurrent;
using System.Threading.Channels;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// A holder container without a network, and a warm container of each runtime inside its network namespace. A
/// session that turns network mode on takes one, connects the holder to its new network, and runs at once.
/// </summary>
internal sealed class NetworkKit(string holderId, IReadOnlyList<RuntimeContainer> containers)
{
    public string HolderId { get; } = holderId;
    public IReadOnlyList<RuntimeContainer> Containers { get; } = containers;
    public bool Intact => Containers.All(c => c.Agent.IsOpen);

    public async Task DestroyAsync(IContainerOperations operations)
    {
        await Task.WhenAll(Containers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        await operations.RemoveAsync(HolderId).ConfigureAwait(false);
    }
}

/// <summary>Keeps network-mode kits warm, so that a session's first network-mode run does not wait for containers.</summary>
internal sealed class NetworkKitPool(
    Func<IReadOnlyList<Runtime>> runtimes,
    ContainerFactory factory,
    IContainerOperations containers,
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

            _ = kit.DestroyAsync(containers);
        }

        return false;
    }

    /// <summary>Creates a kit; with no runtimes, only its holder.</summary>
    public async Task<NetworkKit> CreateAsync(IReadOnlyList<Runtime> kitRuntimes, CancellationToken cancellationToken)
    {
        var holder = await containers.RunAsync(ContainerFactory.HolderSpec("none", Labels.For(Labels.RoleKit, pool: "network")),
            cancellationToken).ConfigureAwait(false);
        var created = kitRuntimes.Select(r => factory.CreateAsync(r, $"container:{holder.Id}",
            Labels.For(Labels.RoleKit, pool: r.Name), cancellationToken)).ToList();
        try
        {
            return new NetworkKit(holder.Id, await Task.WhenAll(created).ConfigureAwait(false));
        }
        catch
        {
            await new NetworkKit(holder.Id, created.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList())
                .DestroyAsync(containers).ConfigureAwait(false);
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
                await kit.DestroyAsync(containers).ConfigureAwait(false);
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
            await kit.DestroyAsync(containers).ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }
}
