using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>The candidates of <see cref="TopK"/> as 64-bit keys — the value's bits made monotonic in the high half, the
/// complemented latent in the low half, so keys are distinct and order by value descending with ties to the lower
/// latent — and the k best of them.</summary>
internal static unsafe class TopKKeys
{
    /// <summary>Candidates beyond this are ordered by a sort instead of by ranks (quadratic in their count).</summary>
    private const int RankLimit = 256;

    /// <summary>The k best of the candidate keys, best first. Few candidates (the usual case: about k): each key's rank is
    /// the number of keys above it, counted 8 at a time, and the key goes straight to that slot. Many (rows with heavy
    /// ties at τ): a sort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteBest<V, S>(float* row, int latents, int k, ulong[] keyBuffer, int candidates, int* bestIndex, float* bestValue)
        where V : struct where S : struct, ISimd<V>
    {
        if (candidates < k)
        {
            // Only NaNs can get here (they pass no comparison): order the whole row by key.
            FullSort(row, latents, k, keyBuffer, bestIndex, bestValue);
            return;
        }
        if (candidates > RankLimit)
        {
            SortBest(row, keyBuffer.AsSpan(0, candidates), k, bestIndex, bestValue);
            return;
        }
        ulong* keys = (ulong*)Unsafe.AsPointer(ref keyBuffer[0]);
        int lanes = S.KeysPerVector;
        int padded = (candidates + lanes - 1) / lanes * lanes;
        for (int i = candidates; i < padded; i++) keys[i] = 0;
        for (int i = 0; i < candidates; i++)
        {
            ulong key = keys[i];
            int rank = 0;
            for (int j = 0; j < padded; j += lanes) rank += S.CountKeysAbove(keys + j, key);
            if (rank >= k) continue;
            int m = (int)~(uint)keys[i];
            bestIndex[rank] = m;
            bestValue[rank] = row[m];
        }
    }

    public static void FullSort(float* row, int latents, int k, ulong[] keys, int* bestIndex, float* bestValue)
    {
        for (int m = 0; m < latents; m++) keys[m] = Key(row[m], m);
        SortBest(row, keys.AsSpan(0, latents), k, bestIndex, bestValue);
    }

    private static void SortBest(float* row, Span<ulong> candidates, int k, int* bestIndex, float* bestValue)
    {
        candidates.Sort();
        int count = candidates.Length;
        for (int j = 0; j < k; j++)
        {
            int m = (int)~(uint)candidates[count - 1 - j];
            bestIndex[j] = m;
            bestValue[j] = row[m];
        }
    }

    /// <summary>Float bits made to order like the floats (as unsigned integers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Ordered(float v)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float FromOrdered(uint ordered) =>
        BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000) != 0 ? ordered & 0x7FFF_FFFF : ~ordered);

    /// <summary>Ordered value bits in the high half, ~latent low: distinct, larger is better. Never 0 (the low half of a
    /// latent's key has its top bit set), so zero padding ranks below every key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(float v, int latent) => (ulong)Ordered(v) << 32 | ~(uint)latent;
}
