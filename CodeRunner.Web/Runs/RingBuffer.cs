using System.Collections;

namespace CodeRunner.Web.Runs;

/// <summary>A fixed-capacity list that drops its oldest item to make room for a new one.</summary>
public sealed class RingBuffer<T>(int capacity) : IReadOnlyList<T>
{
    private readonly T[] _items = capacity > 0 ? new T[capacity] : throw new ArgumentOutOfRangeException(nameof(capacity));
    private int _start;

    public int Capacity => _items.Length;

    public int Count { get; private set; }

    /// <summary>How many items were dropped to make room since the last <see cref="Clear"/>.</summary>
    public long Dropped { get; private set; }

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items[(_start + index) % _items.Length];
        }
    }

    public void Add(T item)
    {
        if (Count < _items.Length)
        {
            _items[(_start + Count) % _items.Length] = item;
            Count++;
            return;
        }

        _items[_start] = item;
        _start = (_start + 1) % _items.Length;
        Dropped++;
    }

    /// <summary>Replaces the newest item, such as a line that was still being written.</summary>
    public void ReplaceLast(T item)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The buffer is empty.");
        }

        _items[(_start + Count - 1) % _items.Length] = item;
    }

    public void Clear()
    {
        Array.Clear(_items);
        _start = 0;
        Count = 0;
        Dropped = 0;
    }

    public T[] ToArray()
    {
        var copy = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            copy[i] = this[i];
        }

        return copy;
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
