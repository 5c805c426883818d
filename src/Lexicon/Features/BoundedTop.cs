namespace Lexicon.Features;

/// <summary>One entry a feature keeps: the store row, its activation there, and the key it was kept by.</summary>
public readonly record struct KeptRow(long Row, float Value, double Key);

/// <summary>
/// The <c>capacity</c> entries with the largest keys seen so far (ties: the lower row wins), in a min-heap, so a
/// feature's top activations come out of one pass over the codes without sorting them: O(log capacity) per entry kept,
/// one comparison per entry that is not.
/// </summary>
public sealed class BoundedTop(int capacity)
{
    private readonly KeptRow[] _heap = new KeptRow[capacity];

    public int Count { get; private set; }

    /// <summary>The smallest key kept once full (an entry must beat it to get in); -∞ before.</summary>
    public double Threshold => Count < _heap.Length ? double.NegativeInfinity : _heap[0].Key;

    public void Offer(long row, float value, double key)
    {
        var entry = new KeptRow(row, value, key);
        if (Count < _heap.Length)
        {
            _heap[Count] = entry;
            Up(Count++);
        }
        else if (Better(entry, _heap[0]))
        {
            _heap[0] = entry;
            Down(0);
        }
    }

    /// <summary>What was kept, best first.</summary>
    public KeptRow[] Sorted()
    {
        var kept = _heap.AsSpan(0, Count).ToArray();
        Array.Sort(kept, (a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return kept;
    }

    private static bool Better(KeptRow a, KeptRow b) => a.Key > b.Key || (a.Key == b.Key && a.Row < b.Row);

    private void Up(int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!Better(_heap[parent], _heap[i])) break;
            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void Down(int i)
    {
        while (true)
        {
            int worst = i, left = 2 * i + 1, right = left + 1;
            if (left < Count && Better(_heap[worst], _heap[left])) worst = left;
            if (right < Count && Better(_heap[worst], _heap[right])) worst = right;
            if (worst == i) return;
            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
