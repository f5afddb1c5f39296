using System.Diagnostics;
using CodeRunner.Engine.Docker;
using CodeRunner.Engine.Pools;
using CodeRunner.Engine.Runs;
using CodeRunner.Engine.Runtimes;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Sessions;

/// <summary>
/// A session's network mode: its own bridge network, a holder container that owns the network namespace, and
/// runtime containers that join that namespace, so that every run of the session shares one <c>localhost</c>.
/// </summary>
internal sealed class SessionNetwork(
    string sessionId,
    ContainerFactory factory,
    IContainerOperations containers,
    INetworkOperations networks,
    ILogger logger) : IContainerSource, IAsyncDisposable
{
    private readonly SemaphoreSlim _setup = new(1, 1);
    private readonly object _gate = new();
    private readonly Dictionary<Runtime, Stack<RuntimeContainer>> _idle = [];
    private readonly HashSet<RuntimeContainer> _owned = [];
    private string? _networkId;
    private string? _holderId;
    private bool _disposed;

    public string NetworkName { get; } = $"coderunner-session-{sessionId}";

    public async Task<RuntimeContainer> AcquireAsync(Runtime runtime, Run run, CancellationToken cancellationToken)
    {
        var holder = await EnsureNetworkAsync(run, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryGetValue(runtime, out var idle))
            {
                while (idle.TryPop(out var warm))
                {
                    if (warm.Agent.IsOpen)
                    {
                        return warm;
                    }

                    _owned.Remove(warm);
                    _ = DestroyAsync(warm);
                }
            }
        }

        run.System($"network mode: starting a {runtime.Name} container…");
        var container = await factory.CreateAsync(runtime, $"container:{holder}",
            Labels.For(Labels.RoleSession, pool: runtime.Name, session: sessionId), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_disposed)
            {
                _owned.Add(container);
                return container;
            }
        }

        await DestroyAsync(container).ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(SessionNetwork));
    }

    public void Release(RuntimeContainer container, bool reusable)
    {
        lock (_gate)
        {
            if (reusable && !_disposed && container.Agent.IsOpen)
            {
                if (!_idle.TryGetValue(container.Runtime, out var idle))
                {
                    _idle[container.Runtime] = idle = new Stack<RuntimeContainer>();
                }

                idle.Push(container);
                return;
            }

            _owned.Remove(container);
        }

        _ = DestroyAsync(container);
    }

    private async Task<string> EnsureNetworkAsync(Run run, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _holderId) is { } ready)
        {
            return ready;
        }

        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_holderId is not null)
            {
                return _holderId;
            }

            run.System("network mode: creating session network…");
            var started = Stopwatch.GetTimestamp();
            var labels = Labels.For(Labels.RoleSession, session: sessionId);
            _networkId ??= await networks.CreateAsync(NetworkName, labels, cancellationToken).ConfigureAwait(false);
            var holder = await containers.RunAsync(ContainerFactory.HolderSpec(NetworkName, Labels.For(Labels.RoleHolder, session: sessionId)),
                cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _holderId, holder.Id);
            Log.SessionNetworkCreated(logger, NetworkName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return holder.Id;
        }
        finally
        {
            _setup.Release();
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
            Log.ContainerRemoveFailed(logger, Log.Short(container.Id), ex.Message);
        }
    }

    /// <summary>Removes the session's containers, then its holder, then its network.</summary>
    public async ValueTask DisposeAsync()
    {
        List<RuntimeContainer> owned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            owned = [.. _owned];
            _owned.Clear();
            _idle.Clear();
        }

        await _setup.WaitAsync().ConfigureAwait(false); // a network being created is finished first, then removed
        try
        {
            await Task.WhenAll(owned.Select(DestroyAsync)).ConfigureAwait(false);
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
