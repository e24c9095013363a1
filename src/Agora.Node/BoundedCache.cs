namespace Agora.Node;

/// <summary>
/// A map with a fixed capacity that forgets the least recently used entry to take a new one, for anything keyed by
/// input others choose (transaction ids, store URIs): however much of it arrives, the map holds at most
/// <see cref="Capacity"/> entries. Not thread-safe; callers hold their own lock.
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _index;
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _index = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(comparer);
    }

    public int Capacity { get; }

    public int Count => _index.Count;

    /// <summary>Looks <paramref name="key"/> up and, when found, marks it most recently used.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        if (_index.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Adds or replaces <paramref name="key"/> as the most recently used entry, forgetting the least recently
    /// used one when the map is full.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_index.TryGetValue(key, out var node))
        {
            _order.Remove(node);
        }
        else if (_index.Count >= Capacity)
        {
            var oldest = _order.Last!;
            _order.RemoveLast();
            _index.Remove(oldest.Value.Key);
        }

        node = new LinkedListNode<(TKey, TValue)>((key, value));
        _order.AddFirst(node);
        _index[key] = node;
    }

    public bool Remove(TKey key)
    {
        if (!_index.Remove(key, out var node))
        {
            return false;
        }

        _order.Remove(node);
        return true;
    }

    public bool ContainsKey(TKey key) => _index.ContainsKey(key);
}
