using System.Collections.Concurrent;
using System.Threading.Channels;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// Warm fast-mode containers of one runtime, without network. Acquiring takes a warm one at once; when none is warm
/// it creates one on demand and also waits for a busy one to come back, taking whichever is first.
/// </summary>
internal sealed class WarmPool : IAsyncDisposable
{
    private readonly ContainerFactory _factory;
    private readonly ILogger _logger;
    private readonly int _target;
    private readonly int _max;
    private readonly TimeSpan _acquireTimeout;
    private readonly Channel<RuntimeContainer> _idle;
    private readonly ConcurrentDictionary<string, RuntimeContainer> _owned = new();
    private readonly ConcurrentDictionary<Task, bool> _creating = new();
    private readonly CancellationTokenSource _lifetime = new();
    private int _live;
    private int _disposed;

    public WarmPool(Runtime runtime, ContainerFactory factory, EngineOptions options, ILogger logger)
    {
        Runtime = runtime;
        _factory = factory;
        _logger = logger;
        _target = options.PoolSize;
        _max = options.MaxContainersPerRuntime;
        _acquireTimeout = options.AcquireTimeout;
        _idle = Channel.CreateBounded<RuntimeContainer>(new BoundedChannelOptions(_max) { SingleReader = false, SingleWriter = false });
    }

    public Runtime Runtime { get; }

    /// <summary>Warm containers waiting for a run.</summary>
    public int IdleCount => _idle.Reader.Count;

    /// <summary>Containers the pool owns: warm, busy, or being created.</summary>
    public int LiveCount => Volatile.Read(ref _live);

    /// <summary>Starts creating containers until the pool holds its target; returns at once.</summary>
    public void Replenish()
    {
        while (!IsDisposed && TryReserve(_target))
        {
            Track(CreateIntoPoolAsync());
        }
    }

    /// <summary>Completes when the pool holds its target of warm containers, or fails with the first creation error.</summary>
    public async Task WarmAsync(CancellationToken cancellationToken = default)
    {
        Replenish();
        while (!_creating.IsEmpty)
        {
            await Task.WhenAll(_creating.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<RuntimeContainer> AcquireAsync(Action<string>? notify = null, CancellationToken cancellationToken = default)
    {
        while (_idle.Reader.TryRead(out var warm))
        {
            if (Usable(warm))
            {
                return warm;
            }
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        wait.CancelAfter(_acquireTimeout);
        var returned = ReadUsableAsync(wait.Token);
        Task<RuntimeContainer>? created = null;
        if (TryReserve(_max))
        {
            Log.PoolEmpty(_logger, Runtime.Name);
            notify?.Invoke($"all {Runtime.Name} containers are busy: starting another…");
            created = CreateOwnedAsync(_lifetime.Token);
            Track(created);
        }

        try
        {
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
                $"All {_max} {Runtime.Name} containers stayed busy for {_acquireTimeout.TotalSeconds:0} s. Try again in a moment.");
        }
    }

    /// <summary>Puts a reset container back, or destroys it when the pool is full or closing.</summary>
    public void Return(RuntimeContainer container)
    {
        if (IsDisposed || !container.Agent.IsOpen || !_idle.Writer.TryWrite(container))
        {
            Retire(container);
        }
    }

    /// <summary>Destroys a container in the background and starts its replacement.</summary>
    public void Retire(RuntimeContainer container)
    {
        if (!container.TryRetire())
        {
            return;
        }

        Interlocked.Decrement(ref _live);
        _owned.TryRemove(container.Id, out _);
        Track(DestroyAsync(container));
        Replenish();
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
            Return(await CreateOwnedAsync(_lifetime.Token).ConfigureAwait(false));
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
    private async Task<RuntimeContainer> CreateOwnedAsync(CancellationToken cancellationToken)
    {
        RuntimeContainer container;
        try
        {
            container = await _factory.CreateAsync(Runtime, "none", Labels.For(Labels.RolePool, pool: Runtime.Name), cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _live);
            throw;
        }

        _owned[container.Id] = container;
        _ = container.Agent.Closed.ContinueWith(_ => OnClosed(container), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return container;
    }

    /// <summary>A container that dies unasked (killed from outside, say) is noticed here and replaced at once.</summary>
    private void OnClosed(RuntimeContainer container)
    {
        if (!IsDisposed && _owned.ContainsKey(container.Id))
        {
            Log.ContainerLost(_logger, Runtime.Name, Log.Short(container.Id), container.Agent.Closed.Result);
            Retire(container);
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
        _creating[task] = true;
        _ = task.ContinueWith(t => _creating.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _idle.Writer.TryComplete();
        while (!_creating.IsEmpty)
        {
            await Task.WhenAll(_creating.Keys.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }

        await Task.WhenAll(_owned.Values.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _owned.Clear();
        _lifetime.Dispose();
    }
}
