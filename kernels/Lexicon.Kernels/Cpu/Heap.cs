namespace Lexicon.Kernels.Cpu;

/// <summary>A bounded min-heap of (value, latent) for top-k selection. Its root is the weakest entry: the lowest value,
/// and among equal values the highest latent (which loses ties).</summary>
internal struct Heap
{
    private readonly Entry[] _entries;
    private int _count;

    public Heap(int capacity) => _entries = new Entry[capacity];

    public readonly int Capacity => _entries.Length;
    public readonly int Count => _count;
    public readonly float MinValue => _entries[0].Value;

    public void Clear() => _count = 0;

    public void Push(float value, int latent)
    {
        int i = _count++;
        _entries[i] = new Entry(value, latent);
        while (i > 0)
        {
            int parent = (i - 1) / 2;
            if (!_entries[i].WeakerThan(_entries[parent])) break;
            (_entries[i], _entries[parent]) = (_entries[parent], _entries[i]);
            i = parent;
        }
    }

    public void ReplaceMin(float value, int latent)
    {
        var entry = new Entry(value, latent);
        int i = 0;
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, weakest = -1;
            if (left < _count && _entries[left].WeakerThan(entry)) weakest = left;
            if (right < _count && _entries[right].WeakerThan(weakest < 0 ? entry : _entries[left])) weakest = right;
            if (weakest < 0) break;
            _entries[i] = _entries[weakest];
            i = weakest;
        }
        _entries[i] = entry;
    }

    /// <summary>Writes the entries strongest first and pads to the capacity with (-1, 0).</summary>
    public readonly unsafe void WriteSorted(int* index, float* value)
    {
        Array.Sort(_entries, 0, _count, StrongestFirst.Instance);
        for (int i = 0; i < Capacity; i++)
        {
            index[i] = i < _count ? _entries[i].Latent : -1;
            value[i] = i < _count ? _entries[i].Value : 0;
        }
    }

    private readonly record struct Entry(float Value, int Latent)
    {
        public bool WeakerThan(in Entry other) => Value < other.Value || (Value == other.Value && Latent > other.Latent);
    }

    private sealed class StrongestFirst : IComparer<Entry>
    {
        public static readonly StrongestFirst Instance = new();

        public int Compare(Entry a, Entry b) => a.WeakerThan(b) ? 1 : b.WeakerThan(a) ? -1 : 0;
    }
}
