using System.Collections.Concurrent;

namespace CodeRunner.Engine.Pools;

/// <summary>
/// The containers a pool owns and how many it may own. A creation reserves its place before it starts, so that
/// concurrent runs never create more than the pool's maximum; a container that dies unasked is reported at once.
/// </summary>
internal sealed class PoolMembers(Action<RuntimeContainer> died)
{
    private readonly ConcurrentDictionary<string, RuntimeContainer> _owned = new();
    private int _live;

    /// <summary>Containers owned plus creations under way.</summary>
    public int LiveCount => Volatile.Read(ref _live);

    public IReadOnlyCollection<string> Ids => _owned.Keys.ToList();

    public IReadOnlyCollection<RuntimeContainer> All => _owned.Values.ToList();

    /// <summary>Takes a place for a creation when fewer than <paramref name="limit"/> are live.</summary>
    public bool TryReserve(int limit)
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

    /// <summary>Gives back a place whose creation failed.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _live);

    /// <summary>Owns a container that has a place (reserved, or <paramref name="adopted"/> from elsewhere).</summary>
    public void Add(RuntimeContainer container, bool adopted = false)
    {
        if (adopted)
        {
            Interlocked.Increment(ref _live);
        }

        _owned[container.Id] = container;
        _ = container.Agent.Closed.ContinueWith(_ => { if (Contains(container)) { died(container); } }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public bool Contains(RuntimeContainer container) => _owned.ContainsKey(container.Id);

    /// <summary>Stops owning the container and frees its place; false when it was not owned (it left already).</summary>
    public bool Remove(RuntimeContainer container)
    {
        if (!_owned.TryRemove(container.Id, out _))
        {
            return false;
        }

        Interlocked.Decrement(ref _live);
        return true;
    }

    /// <summary>Every container, taken away from the pool: its last step before removing them.</summary>
    public IReadOnlyList<RuntimeContainer> TakeAll()
    {
        var all = _owned.Values.ToList();
        _owned.Clear();
        return all;
    }
}
