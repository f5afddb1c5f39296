namespace CodeRunner.Engine.Pools;

/// <summary>Whether a run is waiting for a container, or a pool is only filling up ahead of demand.</summary>
internal enum CreationPriority
{
    Refill,
    RunWaiting,
}

/// <summary>
/// Bounds how many containers are created at once. A creation that a run waits for goes before every refill still
/// queued, so that pools filling up in the background never make a student wait behind containers nobody asked for.
/// </summary>
internal sealed class CreationGate(int slots)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource> _runWaiting = [];
    private readonly LinkedList<TaskCompletionSource> _refills = [];
    private int _free = slots;

    /// <summary>Creations queued behind the ones under way.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _runWaiting.Count + _refills.Count;
            }
        }
    }

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<Slot> EnterAsync(CreationPriority priority, CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource> node;
        lock (_lock)
        {
            if (_free > 0)
            {
                _free--;
                return new Slot(this);
            }

            var queue = priority == CreationPriority.RunWaiting ? _runWaiting : _refills;
            node = queue.AddLast(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        await using (cancellationToken.Register(() => Abandon(node, cancellationToken)).ConfigureAwait(false))
        {
            await node.Value.Task.ConfigureAwait(false);
        }

        return new Slot(this);
    }

    private void Abandon(LinkedListNode<TaskCompletionSource> node, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                return; // the slot was handed over first; the waiter owns it and gives it back
            }

            node.List.Remove(node);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }

    private void Leave()
    {
        TaskCompletionSource next;
        lock (_lock)
        {
            var queue = _runWaiting.Count > 0 ? _runWaiting : _refills;
            if (queue.First is not { } first)
            {
                _free++;
                return;
            }

            queue.RemoveFirst();
            next = first.Value;
        }

        next.SetResult();
    }

    /// <summary>A slot held; disposing it lets the next queued creation start.</summary>
    public readonly struct Slot(CreationGate gate) : IDisposable
    {
        public void Dispose() => gate.Leave();
    }
}
