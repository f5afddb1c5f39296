using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>What a pool holds: containers of one runtime on one network mode, with these labels, and how many.</summary>
internal sealed record PoolSpec(
    Runtime Runtime,
    string NetworkMode,
    IReadOnlyDictionary<string, string> Labels,
    int Target,
    int Max,
    TimeSpan AcquireTimeout,
    TimeSpan TrimAfter);

/// <summary>
/// Warm containers of one runtime. Acquiring takes a warm one at once. When none is warm it waits a moment for one
/// that is being reset, then creates one on demand while still waiting for a busy one to come back, and takes
/// whichever is first. Fast mode has one pool per runtime; a network-mode session has its own.
/// </summary>
internal sealed class WarmPool : IAsyncDisposable
{
    /// <summary>How long a run waits for a container that is being reset before it creates another.</summary>
    private static readonly TimeSpan ResetPatience = TimeSpan.FromMilliseconds(500);

    private readonly PoolSpec _spec;
    private readonly ContainerFactory _factory;
    private readonly ILogger _logger;
    private readonly Channel<RuntimeContainer> _idle;
    private readonly ConcurrentDictionary<string, RuntimeContainer> _owned = new();
    private readonly ConcurrentDictionary<Task, bool> _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private long _lastShortage = Stopwatch.GetTimestamp();
    private int _live;
    private int _resetting;
    private int _disposed;

    public WarmPool(PoolSpec spec, ContainerFactory factory, ILogger logger)
    {
        _spec = spec;
        _factory = factory;
        _logger = logger;
        _idle = Channel.CreateBounded<RuntimeContainer>(new BoundedChannelOptions(spec.Max) { SingleReader = false, SingleWriter = false });
    }

    public Runtime Runtime => _spec.Runtime;

    /// <summary>Warm containers waiting for a run.</summary>
    public int IdleCount => _idle.Reader.Count;

    /// <summary>Containers the pool owns: warm, busy, resetting, or being created.</summary>
    public int LiveCount => Volatile.Read(ref _live);

    /// <summary>The ids of the containers the pool owns.</summary>
    public IReadOnlyCollection<string> ContainerIds => _owned.Keys.ToList();

    /// <summary>Starts creating containers until the pool holds its target; returns at once.</summary>
    public void Replenish()
    {
        while (!IsDisposed && TryReserve(_spec.Target))
        {
            Track(CreateIntoPoolAsync());
        }
    }

    /// <summary>Completes when the creations under way have finished.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken = default)
    {
        Replenish();
        while (!_pending.IsEmpty)
        {
            await Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adopts a warm container created elsewhere (a network-mode kit).</summary>
    public void Seed(RuntimeContainer container)
    {
        Interlocked.Increment(ref _live);
        Own(container);
        Return(container);
    }

    public async Task<RuntimeContainer> AcquireAsync(Action<string>? notify = null, CancellationToken cancellationToken = default)
    {
        if (TryTakeWarm(out var warm))
        {
            return warm;
        }

        Interlocked.Exchange(ref _lastShortage, Stopwatch.GetTimestamp());
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        wait.CancelAfter(_spec.AcquireTimeout);
        var returned = ReadUsableAsync(wait.Token);
        Task<RuntimeContainer>? created = null;
        try
        {
            // A container being reset is back within milliseconds; creating another would only compete for the CPU.
            if (Volatile.Read(ref _resetting) > 0
                && await Task.WhenAny(returned, Task.Delay(ResetPatience, wait.Token)).ConfigureAwait(false) == returned)
            {
                return await returned.ConfigureAwait(false);
            }

            if (TryReserve(_spec.Max))
            {
                Log.PoolEmpty(_logger, Runtime.Name);
                notify?.Invoke($"starting another {Runtime.Name} container…");
                created = CreateOwnedAsync(CreationPriority.RunWaiting, _lifetime.Token);
                Track(created);
            }

            if (created is null || await Task.WhenAny(returned, created).ConfigureAwait(false) == returned)
            {
                var container = await returned.ConfigureAwait(false);
                if (created is not null)
                {
                    _ = created.ContinueWith(t => Return(t.Result), CancellationToken.None,
                        TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                }

                return container;
            }

            await wait.CancelAsync().ConfigureAwait(false);
            try
            {
                Return(await returned.ConfigureAwait(false)); // it arrived at the same moment: keep it warm
            }
            catch (OperationCanceledException)
            {
            }

            return await created.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"All {_spec.Max} {Runtime.Name} containers stayed busy for {_spec.AcquireTimeout.TotalSeconds:0} s. Try again in a moment.");
        }
    }

    /// <summary>The run is over and the agent is resetting the container: it comes back soon.</summary>
    public void RunFinished(RuntimeContainer container)
    {
        if (_owned.ContainsKey(container.Id) && container.TrySetResetting(true))
        {
            Interlocked.Increment(ref _resetting);
        }
    }

    /// <summary>Puts a reset container back, or destroys it when the pool is full or closing.</summary>
    public void Return(RuntimeContainer container)
    {
        DoneResetting(container);
        if (IsDisposed || !container.Agent.IsOpen || !_owned.ContainsKey(container.Id) || !_idle.Writer.TryWrite(container))
        {
            Retire(container);
        }
    }

    /// <summary>Destroys a container in the background and starts its replacement.</summary>
    public void Retire(RuntimeContainer container)
    {
        DoneResetting(container);
        var owned = _owned.TryRemove(container.Id, out _); // a container of a pool that was replaced is only destroyed
        if (!container.TryRetire())
        {
            return;
        }

        Track(DestroyAsync(container));
        if (owned)
        {
            Interlocked.Decrement(ref _live);
            Replenish();
        }
    }

    /// <summary>Removes one warm container above the target when there has been no shortage for a while.</summary>
    public void Trim()
    {
        if (IdleCount > _spec.Target && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastShortage)) > _spec.TrimAfter
            && _idle.Reader.TryRead(out var surplus))
        {
            Retire(surplus);
        }
    }

    private void DoneResetting(RuntimeContainer container)
    {
        if (container.TrySetResetting(false))
        {
            Interlocked.Decrement(ref _resetting);
        }
    }

    private bool TryTakeWarm(out RuntimeContainer container)
    {
        while (_idle.Reader.TryRead(out container!))
        {
            if (Usable(container))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<RuntimeContainer> ReadUsableAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var container = await _idle.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (Usable(container))
            {
                return container;
            }
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

    private bool TryReserve(int limit)
    {
        while (true)
        {
            var live = Volatile.Read(ref _live);
            if (live >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _live, live + 1, live) == live)
            {
                return true;
            }
        }
    }

    private async Task CreateIntoPoolAsync()
    {
        try
        {
            Return(await CreateOwnedAsync(CreationPriority.Refill, _lifetime.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (!IsDisposed)
        {
            Log.PoolCreateFailed(_logger, Runtime.Name, ex.Message);
        }
        catch (Exception)
        {
            // Closing: nothing to report.
        }
    }

    /// <summary>Creates a container counted in <see cref="_live"/>, which the caller reserved.</summary>
    private async Task<RuntimeContainer> CreateOwnedAsync(CreationPriority priority, CancellationToken cancellationToken)
    {
        RuntimeContainer container;
        try
        {
            container = await _factory.CreateAsync(Runtime, _spec.NetworkMode, _spec.Labels, priority, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _live);
            throw;
        }

        Own(container);
        return container;
    }

    private void Own(RuntimeContainer container)
    {
        _owned[container.Id] = container;
        _ = container.Agent.Closed.ContinueWith(_ => OnClosed(container), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A container that dies unasked (killed from outside, a Docker restart) is noticed here and replaced at once; if it
    /// was warm, it leaves the idle queue too, so that <see cref="IdleCount"/> counts only containers that can run.
    /// </summary>
    private void OnClosed(RuntimeContainer container)
    {
        if (!IsDisposed && _owned.ContainsKey(container.Id))
        {
            Log.ContainerLost(_logger, Runtime.Name, Log.Short(container.Id), container.Agent.Closed.Result);
            Retire(container);
            DropDeadIdle();
        }
    }

    private void DropDeadIdle()
    {
        var alive = new List<RuntimeContainer>();
        while (_idle.Reader.TryRead(out var idle))
        {
            if (Usable(idle))
            {
                alive.Add(idle);
            }
        }

        foreach (var container in alive.Where(c => !_idle.Writer.TryWrite(c)))
        {
            Retire(container); // the pool closed meanwhile
        }
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

    private void Track(Task task)
    {
        _pending[task] = true;
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Removes every container the pool owns, waiting for creations under way.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _idle.Writer.TryComplete();
        while (!_pending.IsEmpty)
        {
            await Task.WhenAll(_pending.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }

        await Task.WhenAll(_owned.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _owned.Clear();
        _lifetime.Dispose();
    }
}
