namespace Lexicon.Kernels;

/// <summary>
/// The hash of an n-gram key into a table's rows, shared by every backend so checkpoints mean the same everywhere:
/// the key's tokens folded into a 64-bit state, then a murmur3 finaliser. Slot s uses its own seed; two slots per key
/// are summed, so a collision in one slot leaves the other row private to each key.
/// </summary>
public static class TableHash
{
    public static int Row(ReadOnlySpan<int> key, uint seed, int slot, int tableRows)
    {
        ulong h = Start(seed, slot);
        foreach (int token in key) h = Step(h, token);
        return (int)(Finish(h) % (ulong)tableRows);
    }

    public static ulong Start(uint seed, int slot) => ((ulong)seed << 32 | (uint)slot) * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;

    public static ulong Step(ulong h, int token) => (h ^ (uint)token) * 0xFF51AFD7ED558CCDUL + 0xC4CEB9FE1A85EC53UL;

    public static ulong Finish(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 33;
        return h;
    }
}
