using CodeRunner.Engine.Agent;
using CodeRunner.Engine.Pools;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Engine.Notebooks;

/// <summary>
/// A kernel's interpreter and its container: starts it (waiting until it has loaded), restarts it, and removes both.
/// One operation at a time. The container is the kernel's alone, taken from the Python pool and never given back: a
/// restart, or a death the agent reset cleanly after, starts the next interpreter in it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001",
    Justification = "Its semaphore never makes a wait handle, so there is nothing to release; ShutDownAsync removes what it owns.")]
internal sealed class KernelInterpreter(KernelRequest request, KernelSetup setup, string kernelId, ILogger logger,
    Action<KernelState, string?> setState, Func<bool> closing)
{
    /// <summary>How long the interpreter may take to load; on a busy server, seconds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the agent may take to confirm a kill, and to reset the container after it.</summary>
    public static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ResetPatience = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private RuntimeContainer? _container;
    private KernelProcess? _process;
    private bool _containerNeedsReset;

    /// <summary>The interpreter running now, if any.</summary>
    public KernelProcess? Process => Volatile.Read(ref _process);

    public string? ContainerId => Volatile.Read(ref _container)?.Id;

    /// <summary>Ends the interpreter and starts a clean one, with the project's files read again.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopProcessAsync().ConfigureAwait(false);
            setState(KernelState.Starting, null);
            await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the interpreter and the container when <paramref name="still"/> holds once it is this one's turn; true when it did.</summary>
    public async Task<bool> ShutDownAsync(Func<bool> still, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!still() || (_process is null && _container is null))
            {
                return false;
            }

            await StopProcessAsync().ConfigureAwait(false);
            await DropContainerAsync().ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The interpreter, loaded and reading cells: the one running, or a new one (in a new container if need be).</summary>
    public async Task<KernelProcess> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(closing(), this);
            if (_process is { Ended.IsCompleted: false } live)
            {
                return live;
            }

            if (_process is not null)
            {
                await StopProcessAsync().ConfigureAwait(false);
            }

            setState(KernelState.Starting, null);
            return await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Under <see cref="_gate"/>: starts an interpreter and waits until it has loaded.</summary>
    private async Task<KernelProcess> StartProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            var frame = KernelLaunch.Frame(request, setup);
            var container = await ContainerAsync(cancellationToken).ConfigureAwait(false);
            var process = new KernelProcess(container, setup.Runtime.Limits.MemoryMb * 1024L * 1024L, logger);
            _containerNeedsReset = true;
            await process.StartAsync(frame, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _process, process);
            _ = process.Ended.ContinueWith(t => OnEnded(process, t.Result), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(StartTimeout);
            var first = await process.Messages.ReadAsync(wait.Token).ConfigureAwait(false);
            if (first is not KernelReady)
            {
                throw new InvalidOperationException(first is KernelEnded e ? e.Problem : "The kernel did not start as expected.");
            }

            Log.KernelStarted(logger, kernelId, Log.Short(container.Id));
            setState(KernelState.Idle, null);
            return process;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            setState(KernelState.Dead, $"The kernel did not start within {StartTimeout.TotalSeconds:0} s. Run a cell to try again.");
            throw new TimeoutException($"The kernel did not start within {StartTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !closing())
        {
            setState(KernelState.Dead, ex.Message.StartsWith("The kernel", StringComparison.Ordinal) ? ex.Message : $"The kernel could not start: {ex.Message}");
            throw;
        }
    }

    /// <summary>The kernel's container, clean: the one it holds once the agent reset it, or a new one from the pool.</summary>
    private async Task<RuntimeContainer> ContainerAsync(CancellationToken cancellationToken)
    {
        if (_container is { } held && _containerNeedsReset)
        {
            AgentReady ready;
            try
            {
                ready = held.Agent.IsOpen
                    ? await held.Agent.WaitReadyAsync(cancellationToken).WaitAsync(ResetPatience, cancellationToken).ConfigureAwait(false)
                    : new AgentReady(false, "the agent is gone");
            }
            catch (TimeoutException)
            {
                ready = new AgentReady(false, $"no answer within {ResetPatience.TotalSeconds:0} s");
            }

            _containerNeedsReset = false;
            if (!ready.Ok)
            {
                Log.KernelContainerReplaced(logger, kernelId, Log.Short(held.Id), ready.Problem ?? "unknown");
                await DropContainerAsync().ConfigureAwait(false);
            }
        }

        if (_container is null)
        {
            var container = await setup.TakeContainerAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _container, container);
            _containerNeedsReset = false;
        }

        return _container!;
    }

    /// <summary>Under <see cref="_gate"/>: ends the interpreter, if any; the container goes too unless the agent ended it cleanly.</summary>
    private async Task StopProcessAsync()
    {
        if (Volatile.Read(ref _process) is not { } process)
        {
            return;
        }

        var confirmed = await process.StopAsync(StopPatience).ConfigureAwait(false);
        Volatile.Write(ref _process, null);
        // As after any run: a container where something timed out or ran out of memory is never used again.
        if (!confirmed || process.Exit is { } exit && (exit.Flags & (ExitFlags.OutOfMemory | ExitFlags.TimedOut)) != 0)
        {
            await DropContainerAsync().ConfigureAwait(false);
        }
    }

    private async Task DropContainerAsync()
    {
        if (Interlocked.Exchange(ref _container, null) is not { } container)
        {
            return;
        }

        _containerNeedsReset = false;
        try
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ContainerRemoveFailed(logger, Log.Short(container.Id), ex.Message);
        }
    }

    /// <summary>The interpreter ended: a death unless the engine ended it.</summary>
    private void OnEnded(KernelProcess process, string problem)
    {
        if (!process.Stopping && !closing())
        {
            Log.KernelDied(logger, kernelId, problem);
            setState(KernelState.Dead, problem);
        }
    }
}
