using System.Diagnostics;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// Warm containers of one runtime. Acquiring takes a warm one at once. When none is warm the run queues; it waits a
/// moment for one that is being reset, then a container is created on demand unless the pool is at its maximum.
/// Whatever comes back first goes to the waiting run whose turn it is, round-robin across sessions. Fast mode has
/// one pool per runtime; a network-mode session has its own.
/// </summary>
internal sealed class WarmPool : IAsyncDisposable
{
    /// <summary>How long a run waits for a container that is being reset before one is created for it.</summary>
    private static readonly TimeSpan ResetPatience = TimeSpan.FromMilliseconds(500);

    private readonly PoolSpec _spec;
    private readonly ContainerFactory _factory;
    private readonly ContainerReset _reset;
    private readonly ILogger _logger;
    private readonly PoolMembers _members;
    private readonly ContainerHandOff _handOff = new();
    private readonly BackgroundWork _work = new();
    private readonly CancellationTokenSource _lifetime = new();
    private long _lastShortage = Stopwatch.GetTimestamp();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _drainedMembers = new();
    private int _resetting;
    private int _disposed;
    private volatile bool _drained;

    public WarmPool(PoolSpec spec, ContainerFactory factory, ContainerReset reset, ILogger logger)
    {
        _spec = spec;
        _factory = factory;
        _reset = reset;
        _logger = logger;
        _members = new PoolMembers(OnDied);
    }

    public Runtime Runtime => _spec.Runtime;

    /// <summary>Warm containers waiting for a run.</summary>
    public int IdleCount => _handOff.IdleCount;

    /// <summary>Containers the pool owns: warm, busy, resetting, or being created.</summary>
    public int LiveCount => _members.LiveCount;

    /// <summary>Runs waiting for a container of this pool.</summary>
    public int WaitingCount => _handOff.WaitingCount;

    /// <summary>Containers waiting for their agent's reset after a run.</summary>
    public int ResettingCount => Volatile.Read(ref _resetting);

    /// <summary>True after <see cref="Drain"/> until <see cref="Refill"/>: the pool keeps no container warm.</summary>
    public bool Drained => _drained;

    /// <summary>How many warm containers the pool keeps: its target, or none while drained.</summary>
    private int Target => _drained ? 0 : _spec.Target;

    /// <summary>The ids of the containers the pool owns.</summary>
    public IReadOnlyCollection<string> ContainerIds => _members.Ids;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Starts creating containers until the pool holds its target; returns at once.</summary>
    public void Replenish()
    {
        while (!IsDisposed && _members.TryReserve(Target))
        {
            _work.Track(CreateAsync(CreationPriority.Refill, forWaiter: null));
        }
    }

    /// <summary>Completes when the creations under way have finished.</summary>
    public Task WarmAsync(CancellationToken cancellationToken = default)
    {
        Replenish();
        return _work.WhenIdleAsync(cancellationToken);
    }

    /// <summary>Adopts a warm container created elsewhere (a network-mode kit).</summary>
    public void Seed(RuntimeContainer container)
    {
        _members.Add(container, adopted: true);
        Return(container);
    }

    public async Task<RuntimeContainer> AcquireAsync(ContainerRequest request, CancellationToken cancellationToken = default)
    {
        while (_handOff.TryTake(out var warm))
        {
            if (Usable(warm))
            {
                return warm;
            }
        }

        Interlocked.Exchange(ref _lastShortage, Stopwatch.GetTimestamp());
        var waiter = _handOff.Wait(request.Session,
            ahead => request.Progress.Status($"waiting for a free {Runtime.Name} container ({ahead} ahead)"));
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        wait.CancelAfter(_spec.AcquireTimeout);
        await using var abandon = wait.Token.Register(() => _handOff.Abandon(waiter)).ConfigureAwait(false);
        try
        {
            // A container being reset is back within milliseconds; creating another would only compete for the CPU.
            if (Volatile.Read(ref _resetting) == 0
                || await Task.WhenAny(waiter.Handed.Task, Task.Delay(ResetPatience, wait.Token)).ConfigureAwait(false) != waiter.Handed.Task)
            {
                if (_members.TryReserve(_spec.Max))
                {
                    Log.PoolEmpty(_logger, Runtime.Name);
                    request.Progress.Say($"starting another {Runtime.Name} container…");
                    _work.Track(CreateAsync(CreationPriority.RunWaiting, waiter));
                }
                else
                {
                    _handOff.Announce(waiter); // every container is busy: say how many runs go first
                }
            }

            var container = await waiter.Handed.Task.ConfigureAwait(false);
            if (waiter.Announced)
            {
                request.Progress.Status("");
            }

            return container;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"All {_spec.Max} {Runtime.Name} containers stayed busy for {_spec.AcquireTimeout.TotalSeconds:0} s. Try again in a moment.");
        }
    }

    /// <summary>After a run: waits for the agent's reset and keeps the container, or destroys it.</summary>
    public async Task ReleaseAsync(RuntimeContainer container, bool reusable)
    {
        if (reusable)
        {
            Interlocked.Increment(ref _resetting);
            try
            {
                reusable = await _reset.WaitAsync(container, Runtime.Name).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _resetting);
            }
        }

        if (reusable)
        {
            Return(container);
        }
        else
        {
            Retire(container);
        }
    }

    /// <summary>
    /// Gives an acquired container away for good (a notebook kernel's): the pool stops owning it, frees its place and
    /// makes a replacement. Its new owner removes it.
    /// </summary>
    public void Detach(RuntimeContainer container)
    {
        if (_members.Remove(container))
        {
            Replenish();
        }
    }

    /// <summary>
    /// Removes the warm containers now and stops keeping any: the containers busy now are removed when their run ends.
    /// Runs still work, each on a container made for it. Returns how many warm containers were removed.
    /// </summary>
    public int Drain()
    {
        _drained = true;
        foreach (var id in _members.Ids)
        {
            _drainedMembers[id] = 0;
        }

        var removed = 0;
        while (_handOff.TryTake(out var warm))
        {
            Retire(warm);
            removed++;
        }

        return removed;
    }

    /// <summary>Keeps the pool's warm containers again, made afresh (from the image as it is now).</summary>
    public void Refill()
    {
        _drained = false;
        Replenish();
    }

    /// <summary>Removes one warm container above the target when there has been no shortage for a while.</summary>
    public void Trim()
    {
        if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastShortage)) > _spec.TrimAfter
            && _handOff.TryTakeSurplus(Target, out var surplus))
        {
            Retire(surplus);
        }
    }

    /// <summary>
    /// Hands a ready container to a waiting run or keeps it warm; destroys it when the pool is closing, and, while the
    /// pool is drained, unless a run waits for it.
    /// </summary>
    private void Return(RuntimeContainer container)
    {
        if (IsDisposed || !container.Agent.IsOpen || !_members.Contains(container) || _drainedMembers.TryRemove(container.Id, out _)
            || !_handOff.Offer(container, keepWarm: !_drained))
        {
            Retire(container);
        }
    }

    /// <summary>Destroys a container in the background and, if the pool owned it, starts its replacement.</summary>
    private void Retire(RuntimeContainer container)
    {
        var owned = _members.Remove(container); // a container of a pool that was replaced is only destroyed
        _drainedMembers.TryRemove(container.Id, out _);
        if (!container.TryRetire())
        {
            return;
        }

        _work.Track(DestroyAsync(container));
        if (owned)
        {
            Replenish();
        }
    }

    private bool Usable(RuntimeContainer container)
    {
        if (container.Agent.IsOpen)
        {
            return true;
        }

        Retire(container);
        return false;
    }

    /// <summary>
    /// A container that dies unasked (killed from outside, a Docker restart) is replaced at once, and leaves the warm
    /// queue too, so that <see cref="IdleCount"/> counts only containers that can run.
    /// </summary>
    private void OnDied(RuntimeContainer container)
    {
        if (!IsDisposed)
        {
            Log.ContainerLost(_logger, Runtime.Name, Log.Short(container.Id), container.Agent.Closed.Result);
            _handOff.Remove(container);
            Retire(container);
        }
    }

    /// <summary>
    /// Creates a container in a place the caller reserved, and offers it to the pool. When the creation was for a
    /// waiting run and fails, that run fails with the reason at once, unless it was served meanwhile.
    /// </summary>
    private async Task CreateAsync(CreationPriority priority, ContainerWaiter? forWaiter)
    {
        RuntimeContainer container;
        try
        {
            container = await _factory.CreateAsync(Runtime, _spec.NetworkMode, _spec.Labels, priority, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _members.Unreserve();
            if (!IsDisposed)
            {
                Log.PoolCreateFailed(_logger, Runtime.Name, ex.Message);
                if (forWaiter is not null)
                {
                    _handOff.Fail(forWaiter, ex);
                }
            }

            return;
        }

        _members.Add(container);
        Return(container);
    }

    private async Task DestroyAsync(RuntimeContainer container)
    {
        try
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ContainerRemoveFailed(_logger, Log.Short(container.Id), ex.Message);
        }
    }

    /// <summary>Removes every container the pool owns, waiting for creations under way.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _handOff.Close();
        await _work.WhenIdleAsync().ConfigureAwait(false);
        await Task.WhenAll(_members.TakeAll().Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _lifetime.Dispose();
    }
}
