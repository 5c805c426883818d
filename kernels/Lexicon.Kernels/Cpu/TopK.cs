using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Per-row top-k from the maxima of 32-latent panels, without sorting the row. Each panel's maximum is a value of the
/// row, so if at least k panel maxima reach a threshold τ, at least k values do and every top-k value is ≥ τ. τ is found
/// by bisection over the panel maxima (counting with SIMD compares) until about k of them reach it; only the panels
/// whose maximum reaches τ are read (typically ~k of M/32), their lanes ≥ τ become 64-bit keys — the value's bits made
/// monotonic in the high half, the complemented latent in the low half, so keys are distinct and order by value
/// descending with ties to the lower latent — and each of those few keys is ranked by counting the keys above it (SIMD
/// compares, no branches), which places it directly at its output slot.
/// The panel maxima come from the encoder GEMM's epilogue when it produced this pre (see <see cref="CpuKernels"/>), so the
/// row itself is never scanned; otherwise a first pass over the row computes them. Rows of at most 32·k latents skip
/// the panels and bisect over the values themselves.
/// </summary>
public static unsafe class TopK
{
    public const int PanelWidth = 32;

    /// <summary>Candidates beyond this are ordered by a sort instead of by ranks (quadratic in their count).</summary>
    private const int RankLimit = 256;

    public static int Panels(int latents) => (latents + PanelWidth - 1) / PanelWidth;

    /// <param name="panelMax">Per row the maxima of its 32-latent panels ([rows, Panels(latents)]), or null to compute them.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* pre, int rows, int latents, int k, int* index, float* value, float* panelMax = null)
    {
        int panels = Panels(latents);
        CpuParallel.For(rows, 8, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            var work = new RowWork(latents, panels);
            if (panels <= k)
            {
                for (int b = b0; b < b1; b++)
                    SelectFromValues(pre + (long)b * latents, latents, k, work, index + (long)b * k, value + (long)b * k);
                return;
            }
            if (panelMax == null)
            {
                for (int b = b0; b < b1; b++)
                {
                    float* row = pre + (long)b * latents;
                    var plan = PlanPanels(row, work.ComputeMaxima(row, latents), panels, k, work.PanelIds(0));
                    FinishPanels(row, latents, k, plan, work, work.PanelIds(0), index + (long)b * k, value + (long)b * k);
                }
                return;
            }
            // The GEMM's maxima: plan row b (threshold, panels, prefetch) while the panels of row b − 1, asked for one row
            // earlier, arrive from DRAM.
            var previous = default(Plan);
            for (int b = b0; b <= b1; b++)
            {
                var plan = b < b1 ? PlanPanels(pre + (long)b * latents, panelMax + (long)b * panels, panels, k, work.PanelIds(b & 1)) : default;
                if (b > b0)
                    FinishPanels(pre + (long)(b - 1) * latents, latents, k, previous, work, work.PanelIds((b - 1) & 1),
                        index + (long)(b - 1) * k, value + (long)(b - 1) * k);
                previous = plan;
            }
        });
    }

    /// <summary>A row's threshold and how many panels reach it (their ids in the row's id buffer); NaN: order the whole row.</summary>
    private readonly record struct Plan(float Threshold, int Chosen);

    /// <summary>Scratch of one thread: candidate keys (padded with zeros, which rank below every key), the panels that
    /// pass the threshold, and panel maxima computed from a row.</summary>
    private sealed class RowWork
    {
        public readonly ulong[] Keys;
        private readonly int[] _panelIds;
        private readonly float[] _maxima;
        private readonly int _panels;

        public RowWork(int latents, int panels)
        {
            Keys = GC.AllocateArray<ulong>(latents + 8, pinned: true);
            _panelIds = GC.AllocateArray<int>(2 * panels, pinned: true);
            _maxima = GC.AllocateArray<float>(panels, pinned: true);
            _panels = panels;
        }

        /// <summary>One of two id buffers (two rows in flight).</summary>
        public int* PanelIds(int which) => (int*)Unsafe.AsPointer(ref _panelIds[which * _panels]);

        public ulong* KeysPointer => (ulong*)Unsafe.AsPointer(ref Keys[0]);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float* ComputeMaxima(float* row, int latents)
        {
            float* maxima = (float*)Unsafe.AsPointer(ref _maxima[0]);
            int full = latents / PanelWidth;
            for (int p = 0; p < full; p++)
                maxima[p] = HorizontalMax(Vector512.MaxNative(Vector512.Load(row + p * PanelWidth), Vector512.Load(row + p * PanelWidth + 16)));
            if (full * PanelWidth < latents)
            {
                float m = float.NegativeInfinity;
                for (int i = full * PanelWidth; i < latents; i++) m = row[i] > m ? row[i] : m;
                maxima[full] = m;
            }
            return maxima;
        }
    }

    /// <summary>τ over the row's panel maxima, the panels that reach it (into <paramref name="ids"/>), and a prefetch of
    /// those panels (usually in DRAM: pre is far larger than the caches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Plan PlanPanels(float* row, float* maxima, int panels, int k, int* ids)
    {
        float threshold = Threshold(maxima, panels, k);
        if (float.IsNaN(threshold)) return new Plan(threshold, 0);
        int chosen = 0, p = 0;
        var t = Vector512.Create(threshold);
        for (; p <= panels - 16; p += 16)
        {
            uint mask = (uint)Vector512.GreaterThanOrEqual(Vector512.Load(maxima + p), t).ExtractMostSignificantBits();
            while (mask != 0)
            {
                ids[chosen++] = p + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
            }
        }
        for (; p < panels; p++)
            if (maxima[p] >= threshold) ids[chosen++] = p;
        // Into L2 (prefetcht1): measured at W2, TopK 3.1–3.8 ms against 5.4 with prefetcht0 and 4.8–6.8 with none.
        if (Sse.IsSupported)
            for (int i = 0; i < chosen; i++)
            {
                float* panel = row + ids[i] * PanelWidth;
                Sse.Prefetch1(panel);
                Sse.Prefetch1(panel + 16);
            }
        return new Plan(threshold, chosen);
    }

    /// <summary>The lanes ≥ τ of the planned panels as keys, then the k best of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FinishPanels(float* row, int latents, int k, Plan plan, RowWork work, int* ids, int* bestIndex, float* bestValue)
    {
        if (float.IsNaN(plan.Threshold))
        {
            FullSort(row, latents, k, work.Keys, bestIndex, bestValue);
            return;
        }
        float threshold = plan.Threshold;
        var t = Vector512.Create(threshold);
        ulong* keys = work.KeysPointer;
        int candidates = 0;
        for (int i = 0; i < plan.Chosen; i++)
        {
            int start = ids[i] * PanelWidth;
            float* panel = row + start;
            if (start + PanelWidth <= latents)
            {
                ulong mask = Vector512.GreaterThanOrEqual(Vector512.Load(panel), t).ExtractMostSignificantBits()
                    | Vector512.GreaterThanOrEqual(Vector512.Load(panel + 16), t).ExtractMostSignificantBits() << 16;
                while (mask != 0)
                {
                    int m = BitOperations.TrailingZeroCount(mask);
                    keys[candidates++] = Key(panel[m], start + m);
                    mask &= mask - 1;
                }
            }
            else
            {
                for (int m = start; m < latents; m++)
                    if (row[m] >= threshold) keys[candidates++] = Key(row[m], m);
            }
        }
        WriteBest(row, latents, k, work, candidates, bestIndex, bestValue);
    }

    /// <summary>A row with at most 32·k latents: the same threshold, found over the values themselves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SelectFromValues(float* row, int latents, int k, RowWork work, int* bestIndex, float* bestValue)
    {
        float threshold = Threshold(row, latents, k);
        if (float.IsNaN(threshold))
        {
            FullSort(row, latents, k, work.Keys, bestIndex, bestValue);
            return;
        }
        ulong* keys = work.KeysPointer;
        int candidates = 0, i = 0;
        var t = Vector512.Create(threshold);
        for (; i <= latents - 16; i += 16)
        {
            uint mask = (uint)Vector512.GreaterThanOrEqual(Vector512.Load(row + i), t).ExtractMostSignificantBits();
            while (mask != 0)
            {
                int m = i + BitOperations.TrailingZeroCount(mask);
                keys[candidates++] = Key(row[m], m);
                mask &= mask - 1;
            }
        }
        for (; i < latents; i++)
            if (row[i] >= threshold) keys[candidates++] = Key(row[i], i);
        WriteBest(row, latents, k, work, candidates, bestIndex, bestValue);
    }

    /// <summary>
    /// A threshold τ reached by at least k of v[0..n) (n ≥ k), and by at most about k + k/4 of them unless ties or the
    /// float resolution forbid: bisection over the ordered bits between the smallest and the largest value, each step
    /// one SIMD count. NaN when v holds NaNs (the caller then orders the whole row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Threshold(float* v, int n, int k)
    {
        var lo = Vector512.Create(float.PositiveInfinity);
        var hi = Vector512.Create(float.NegativeInfinity);
        var nan = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            var x = Vector512.Load(v + i);
            lo = Vector512.MinNative(lo, x);
            hi = Vector512.MaxNative(hi, x);
            nan |= ~Vector512.Equals(x, x);
        }
        float min = HorizontalMin(lo), max = HorizontalMax(hi);
        bool hasNaN = nan != Vector512<float>.Zero;
        for (; i < n; i++)
        {
            float x = v[i];
            hasNaN |= float.IsNaN(x);
            min = x < min ? x : min;
            max = x > max ? x : max;
        }
        if (hasNaN) return float.NaN;
        int slack = Math.Max(2, k / 4);
        uint below = Ordered(min), above = Ordered(max) + 1;
        int reached = n;
        while (reached > k + slack && above - below > 1)
        {
            uint mid = below + (above - below) / 2;
            int c = CountAtLeast(v, n, FromOrdered(mid));
            if (c >= k)
            {
                below = mid;
                reached = c;
            }
            else above = mid;
        }
        return FromOrdered(below);
    }

    /// <summary>How many of v[0..n) are ≥ t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountAtLeast(float* v, int n, float t)
    {
        var tv = Vector512.Create(t);
        int c = 0, i = 0;
        for (; i <= n - 16; i += 16)
            c += BitOperations.PopCount((uint)Vector512.GreaterThanOrEqual(Vector512.Load(v + i), tv).ExtractMostSignificantBits());
        for (; i < n; i++)
            if (v[i] >= t) c++;
        return c;
    }

    /// <summary>The k best of the candidate keys, best first. Few candidates (the usual case: about k): each key's rank is
    /// the number of keys above it, counted 8 at a time, and the key goes straight to that slot. Many (rows with heavy
    /// ties at τ): a sort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteBest(float* row, int latents, int k, RowWork work, int candidates, int* bestIndex, float* bestValue)
    {
        if (candidates < k)
        {
            // Only NaNs can get here (they pass no comparison): order the whole row by key.
            FullSort(row, latents, k, work.Keys, bestIndex, bestValue);
            return;
        }
        if (candidates > RankLimit)
        {
            SortBest(row, work.Keys.AsSpan(0, candidates), k, bestIndex, bestValue);
            return;
        }
        ulong* keys = work.KeysPointer;
        int padded = (candidates + 7) & ~7;
        for (int i = candidates; i < padded; i++) keys[i] = 0;
        for (int i = 0; i < candidates; i++)
        {
            var key = Vector512.Create(keys[i]);
            int rank = 0;
            for (int j = 0; j < padded; j += 8)
                rank += BitOperations.PopCount((uint)Vector512.GreaterThan(Vector512.Load(keys + j), key).ExtractMostSignificantBits());
            if (rank >= k) continue;
            int m = (int)~(uint)keys[i];
            bestIndex[rank] = m;
            bestValue[rank] = row[m];
        }
    }

    private static void FullSort(float* row, int latents, int k, ulong[] keys, int* bestIndex, float* bestValue)
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

    /// <summary>The largest lane (x86 max: a NaN lane may be passed over; callers treat NaN rows separately).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float HorizontalMax(Vector512<float> v)
    {
        var half = Vector256.MaxNative(v.GetLower(), v.GetUpper());
        var quarter = Vector128.MaxNative(half.GetLower(), half.GetUpper());
        quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMin(Vector512<float> v)
    {
        var half = Vector256.MinNative(v.GetLower(), v.GetUpper());
        var quarter = Vector128.MinNative(half.GetLower(), half.GetUpper());
        quarter = Vector128.MinNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MinNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }
}
