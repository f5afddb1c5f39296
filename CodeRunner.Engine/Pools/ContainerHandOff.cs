namespace CodeRunner.Engine.Pools;

/// <summary>A run waiting for a container: it is handed one, or gives up; it hears how many will be served first.</summary>
internal sealed class ContainerWaiter(string session, Action<int>? placeChanged)
{
    private int _toldAhead = -1;

    public string Session { get; } = session;

    public TaskCompletionSource<RuntimeContainer> Handed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once the wait is long enough to be worth telling the student about.</summary>
    public bool Announced { get; set; }

    public void Tell(int ahead)
    {
        if (Announced && Interlocked.Exchange(ref _toldAhead, ahead) != ahead)
        {
            placeChanged?.Invoke(ahead);
        }
    }
}

/// <summary>
/// Where warm containers wait for runs, and runs wait for containers. A container that comes back (reset, or newly
/// made) goes to the waiting run whose turn it is, round-robin across sessions, or else joins the warm queue.
/// </summary>
internal sealed class ContainerHandOff
{
    private readonly Lock _lock = new();
    private readonly LinkedList<RuntimeContainer> _idle = [];
    private readonly FairQueue<string, ContainerWaiter> _waiting = new();
    private bool _closed;

    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public int WaitingCount
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Takes the warm container that waited longest (so that runs spread over the pool).</summary>
    public bool TryTake(out RuntimeContainer container)
    {
        lock (_lock)
        {
            container = _idle.First?.Value!;
            if (container is null)
            {
                return false;
            }

            _idle.RemoveFirst();
            return true;
        }
    }

    /// <summary>Queues a run for the next container that comes back.</summary>
    public ContainerWaiter Wait(string session, Action<int>? placeChanged)
    {
        var waiter = new ContainerWaiter(session, placeChanged);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _waiting.Enqueue(session, waiter);
        }

        TellPlaces(); // a new session's run moves ahead of the later runs of sessions already waiting
        return waiter;
    }

    /// <summary>
    /// Hands the container to the run whose turn it is, or keeps it warm (unless <paramref name="keepWarm"/> is false);
    /// false when it was neither: destroy it.
    /// </summary>
    public bool Offer(RuntimeContainer container, bool keepWarm = true)
    {
        var handed = false;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            while (_waiting.TryDequeue(out var waiter))
            {
                if (waiter.Handed.TrySetResult(container))
                {
                    handed = true;
                    break;
                }
            }

            if (!handed)
            {
                if (!keepWarm)
                {
                    return false;
                }

                _idle.AddLast(container);
            }
        }

        if (handed)
        {
            TellPlaces();
        }

        return true;
    }

    /// <summary>The run stopped waiting (stopped, timed out); if it was handed a container meanwhile, the caller keeps it.</summary>
    public void Abandon(ContainerWaiter waiter)
    {
        bool removed;
        lock (_lock)
        {
            removed = _waiting.Remove(waiter.Session, waiter);
        }

        if (removed)
        {
            waiter.Handed.TrySetCanceled();
            TellPlaces();
        }
    }

    /// <summary>Ends the wait with an error (the container made for it could not be made), unless it was served.</summary>
    public void Fail(ContainerWaiter waiter, Exception error)
    {
        bool removed;
        lock (_lock)
        {
            removed = _waiting.Remove(waiter.Session, waiter);
        }

        if (removed)
        {
            waiter.Handed.TrySetException(error);
            TellPlaces();
        }
    }

    /// <summary>Starts telling the waiter its place, and tells it now.</summary>
    public void Announce(ContainerWaiter waiter)
    {
        waiter.Announced = true;
        TellPlaces();
    }

    /// <summary>Drops a warm container (it died); false when it was not warm here.</summary>
    public bool Remove(RuntimeContainer container)
    {
        lock (_lock)
        {
            return _idle.Remove(container);
        }
    }

    /// <summary>Takes one warm container when more than <paramref name="keep"/> are warm.</summary>
    public bool TryTakeSurplus(int keep, out RuntimeContainer container)
    {
        lock (_lock)
        {
            if (_idle.Count > keep)
            {
                container = _idle.Last!.Value;
                _idle.RemoveLast();
                return true;
            }
        }

        container = null!;
        return false;
    }

    /// <summary>Refuses everything from now on: the warm containers are returned for removal, the waiters cancelled.</summary>
    public IReadOnlyList<RuntimeContainer> Close()
    {
        var waiters = new List<ContainerWaiter>();
        List<RuntimeContainer> idle;
        lock (_lock)
        {
            _closed = true;
            idle = [.. _idle];
            _idle.Clear();
            while (_waiting.TryDequeue(out var waiter))
            {
                waiters.Add(waiter);
            }
        }

        waiters.ForEach(w => w.Handed.TrySetCanceled());
        return idle;
    }

    private void TellPlaces()
    {
        List<(ContainerWaiter Waiter, int Ahead)> places;
        lock (_lock)
        {
            places = _waiting.Positions().ToList();
        }

        foreach (var (waiter, ahead) in places)
        {
            waiter.Tell(ahead);
        }
    }
}
