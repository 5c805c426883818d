using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Per-row top-k from the maxima of 32-latent panels, without sorting the row. Each panel's maximum is a value of the
/// row, so if at least k panel maxima reach a threshold τ, at least k values do and every top-k value is ≥ τ. τ is found
/// by bisection over the panel maxima (<see cref="TopKThreshold"/>) until about k of them reach it; only the panels
/// whose maximum reaches τ are read (typically ~k of M/32), their lanes ≥ τ become <see cref="TopKKeys"/> — distinct,
/// ordered by value descending with ties to the lower latent — and each of those few keys is ranked by counting the keys
/// above it, which places it directly at its output slot.
/// The panel maxima come from the encoder GEMM's epilogue in <see cref="EncodeTopK"/>, so the row itself is never
/// scanned; alone, a first pass over each row computes them. Rows of at most 32·k latents skip the panels and bisect
/// over the values themselves.
/// </summary>
public static unsafe class TopK
{
    public const int PanelWidth = 32;

    public static int Panels(int latents) => (latents + PanelWidth - 1) / PanelWidth;

    /// <param name="panelMax">Per row the maxima of its 32-latent panels ([rows, Panels(latents)]), or null to compute them.</param>
    /// <returns>How many panels of pre were read (a row whose maxima are computed, or that is sorted whole, counts all of
    /// its panels): what reading the GEMM's maxima saves, and how tests see that they were read.</returns>
    public static long Run(float* pre, int rows, int latents, int k, int* index, float* value, float* panelMax = null)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: return Run<Vector512<float>, Simd512>(pre, rows, latents, k, index, value, panelMax);
            case SimdWidth.V256: return Run<Vector256<float>, Simd256>(pre, rows, latents, k, index, value, panelMax);
            case SimdWidth.V128: return Run<Vector128<float>, Simd128>(pre, rows, latents, k, index, value, panelMax);
            default: return Run<float, SimdScalar>(pre, rows, latents, k, index, value, panelMax);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long Run<V, S>(float* pre, int rows, int latents, int k, int* index, float* value, float* panelMax) where V : struct where S : struct, ISimd<V>
    {
        int panels = Panels(latents);
        long read = 0;
        CpuParallel.For(rows, 8, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            var work = new RowWork(latents, panels);
            if (panels <= k)
            {
                for (int b = b0; b < b1; b++)
                    SelectFromValues<V, S>(pre + (long)b * latents, latents, k, work, index + (long)b * k, value + (long)b * k);
                Interlocked.Add(ref read, (long)(b1 - b0) * panels);
                return;
            }
            if (panelMax == null)
            {
                for (int b = b0; b < b1; b++)
                {
                    float* row = pre + (long)b * latents;
                    var plan = PlanPanels<V, S>(row, work.ComputeMaxima<V, S>(row, latents), panels, k, work.PanelIds(0));
                    FinishPanels<V, S>(row, latents, k, plan, work, work.PanelIds(0), index + (long)b * k, value + (long)b * k);
                }
                Interlocked.Add(ref read, (long)(b1 - b0) * panels);
                return;
            }
            // The GEMM's maxima: plan row b (threshold, panels, prefetch) while the panels of row b − 1, asked for one row
            // earlier, arrive from DRAM.
            var previous = default(Plan);
            long chosen = 0;
            for (int b = b0; b <= b1; b++)
            {
                var plan = b < b1 ? PlanPanels<V, S>(pre + (long)b * latents, panelMax + (long)b * panels, panels, k, work.PanelIds(b & 1)) : default;
                if (b > b0)
                {
                    FinishPanels<V, S>(pre + (long)(b - 1) * latents, latents, k, previous, work, work.PanelIds((b - 1) & 1),
                        index + (long)(b - 1) * k, value + (long)(b - 1) * k);
                    chosen += float.IsNaN(previous.Threshold) ? panels : previous.Chosen;
                }
                previous = plan;
            }
            Interlocked.Add(ref read, chosen);
        });
        return read;
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
        public float* ComputeMaxima<V, S>(float* row, int latents) where V : struct where S : struct, ISimd<V>
        {
            float* maxima = (float*)Unsafe.AsPointer(ref _maxima[0]);
            int full = latents / PanelWidth;
            for (int p = 0; p < full; p++)
            {
                float* panel = row + p * PanelWidth;
                var m = S.Load(panel);
                for (int j = S.Count; j < PanelWidth; j += S.Count) m = S.MaxNative(m, S.Load(panel + j));
                maxima[p] = S.HorizontalMax(m);
            }
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
    private static Plan PlanPanels<V, S>(float* row, float* maxima, int panels, int k, int* ids) where V : struct where S : struct, ISimd<V>
    {
        float threshold = TopKThreshold.Find<V, S>(maxima, panels, k);
        if (float.IsNaN(threshold)) return new Plan(threshold, 0);
        int chosen = 0, p = 0;
        var t = S.Create(threshold);
        for (; p <= panels - S.Count; p += S.Count)
        {
            uint mask = S.MostSignificantBits(S.GreaterThanOrEqual(S.Load(maxima + p), t));
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
    private static void FinishPanels<V, S>(float* row, int latents, int k, Plan plan, RowWork work, int* ids, int* bestIndex, float* bestValue) where V : struct where S : struct, ISimd<V>
    {
        if (float.IsNaN(plan.Threshold))
        {
            TopKKeys.FullSort(row, latents, k, work.Keys, bestIndex, bestValue);
            return;
        }
        float threshold = plan.Threshold;
        var t = S.Create(threshold);
        ulong* keys = work.KeysPointer;
        int candidates = 0;
        for (int i = 0; i < plan.Chosen; i++)
        {
            int start = ids[i] * PanelWidth;
            float* panel = row + start;
            if (start + PanelWidth <= latents)
            {
                ulong mask = 0;
                for (int j = 0; j < PanelWidth; j += S.Count)
                    mask |= (ulong)S.MostSignificantBits(S.GreaterThanOrEqual(S.Load(panel + j), t)) << j;
                while (mask != 0)
                {
                    int m = BitOperations.TrailingZeroCount(mask);
                    keys[candidates++] = TopKKeys.Key(panel[m], start + m);
                    mask &= mask - 1;
                }
            }
            else
            {
                for (int m = start; m < latents; m++)
                    if (row[m] >= threshold) keys[candidates++] = TopKKeys.Key(row[m], m);
            }
        }
        TopKKeys.WriteBest<V, S>(row, latents, k, work.Keys, candidates, bestIndex, bestValue);
    }

    /// <summary>A row with at most 32·k latents: the same threshold, found over the values themselves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SelectFromValues<V, S>(float* row, int latents, int k, RowWork work, int* bestIndex, float* bestValue) where V : struct where S : struct, ISimd<V>
    {
        float threshold = TopKThreshold.Find<V, S>(row, latents, k);
        if (float.IsNaN(threshold))
        {
            TopKKeys.FullSort(row, latents, k, work.Keys, bestIndex, bestValue);
            return;
        }
        ulong* keys = work.KeysPointer;
        int candidates = 0, i = 0;
        var t = S.Create(threshold);
        for (; i <= latents - S.Count; i += S.Count)
        {
            uint mask = S.MostSignificantBits(S.GreaterThanOrEqual(S.Load(row + i), t));
            while (mask != 0)
            {
                int m = i + BitOperations.TrailingZeroCount(mask);
                keys[candidates++] = TopKKeys.Key(row[m], m);
                mask &= mask - 1;
            }
        }
        for (; i < latents; i++)
            if (row[i] >= threshold) keys[candidates++] = TopKKeys.Key(row[i], i);
        TopKKeys.WriteBest<V, S>(row, latents, k, work.Keys, candidates, bestIndex, bestValue);
    }
}
