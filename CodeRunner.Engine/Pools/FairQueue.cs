namespace CodeRunner.Engine.Pools;

/// <summary>
/// Items waiting their turn, grouped by who they belong to (a session), served round-robin across groups and in
/// order within a group: a session with twenty waiting runs delays another session's run by one turn, not twenty.
/// Not thread-safe; its owner locks.
/// </summary>
internal sealed class FairQueue<TKey, TItem>
    where TKey : notnull
    where TItem : class
{
    /// <summary>Groups in serving order: the first is served next, then goes to the back.</summary>
    private readonly LinkedList<Group> _rotation = [];
    private readonly Dictionary<TKey, LinkedListNode<Group>> _groups = [];

    public int Count { get; private set; }

    public void Enqueue(TKey key, TItem item)
    {
        if (!_groups.TryGetValue(key, out var node))
        {
            node = _rotation.AddLast(new Group(key));
            _groups[key] = node;
        }

        node.Value.Items.AddLast(item);
        Count++;
    }

    /// <summary>Takes the first item of the group whose turn it is, and moves that group to the back.</summary>
    public bool TryDequeue(out TItem item)
    {
        if (_rotation.First is not { } node)
        {
            item = null!;
            return false;
        }

        var group = node.Value;
        item = group.Items.First!.Value;
        group.Items.RemoveFirst();
        Count--;
        _rotation.RemoveFirst();
        if (group.Items.Count > 0)
        {
            _rotation.AddLast(node);
        }
        else
        {
            _groups.Remove(group.Key);
        }

        return true;
    }

    /// <summary>Removes an item that stopped waiting; false when it is not queued (it was served already).</summary>
    public bool Remove(TKey key, TItem item)
    {
        if (!_groups.TryGetValue(key, out var node) || !node.Value.Items.Remove(item))
        {
            return false;
        }

        Count--;
        if (node.Value.Items.Count == 0)
        {
            _rotation.Remove(node);
            _groups.Remove(key);
        }

        return true;
    }

    /// <summary>
    /// Every queued item with how many will be served before it. Item k of the group at rotation place p is served in
    /// round k; before it come k items of its own group, and of every other group as many of its first k (groups
    /// after p) or k + 1 (groups before p) items as it has.
    /// </summary>
    public IEnumerable<(TItem Item, int Ahead)> Positions()
    {
        var groups = _rotation.Select(g => g.Items).ToList();
        for (var p = 0; p < groups.Count; p++)
        {
            var k = 0;
            foreach (var item in groups[p])
            {
                var ahead = k;
                for (var q = 0; q < groups.Count; q++)
                {
                    if (q != p)
                    {
                        ahead += Math.Min(groups[q].Count, q < p ? k + 1 : k);
                    }
                }

                yield return (item, ahead);
                k++;
            }
        }
    }

    private sealed record Group(TKey Key)
    {
        public LinkedList<TItem> Items { get; } = [];
    }
}
