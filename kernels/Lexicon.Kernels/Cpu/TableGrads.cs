using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Row gradients of the touched table rows from the entries grouped by row: one pass over the sorted entries finds the
/// touched rows (ascending), then each row's sum is owned by one thread and added in entry order — no lost updates,
/// no atomics, and no pass over the untouched rows of a large table. Rows are split into ranges of about equal entry
/// counts (token frequencies are Zipf-like: the most frequent row alone can hold a tenth of the batch), four source rows
/// per pass, the rows ahead prefetched.
/// </summary>
public static unsafe class TableGrads
{
    public static void Run(int* start, int* order, int* rowIndex, int slots, int totalRows, float* source, float scale, int d,
        int* touched, float* rowGrads, int* touchedCount)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount); break;
            default: Run<float, SimdScalar>(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* start, int* order, int* rowIndex, int slots, int totalRows, float* source, float scale, int d,
        int* touched, float* rowGrads, int* touchedCount) where V : struct where S : struct, ISimd<V>
    {
        int entries = start[totalRows];
        var first = new int[entries + 1];
        int count = 0, previous = -1;
        for (int i = 0; i < entries; i++)
        {
            int row = rowIndex[order[i]];
            if (row == previous) continue;
            touched[count] = row;
            first[count++] = i;
            previous = row;
        }
        first[count] = entries;
        touchedCount[0] = count;
        if (count == 0) return;
        int chunks = Math.Min(count, CpuParallel.Threads * 4);
        var bounds = new int[chunks + 1];
        for (int c = 1, u = 0; c < chunks; c++)
        {
            long target = (long)(entries + count) * c / chunks;
            while (u < count && first[u] + (long)u < target) u++;
            bounds[c] = u;
        }
        bounds[chunks] = count;
        int distance = CpuTuning.GatherAhead;
        CpuParallel.ForEachChunk(chunks, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            int i0 = first[bounds[c]], i1 = first[bounds[c + 1]];
            for (int i = i0; i < Math.Min(i1, i0 + distance); i++) Simd.Prefetch(source + (long)(order[i] / slots) * d, d);
            for (int u = bounds[c]; u < bounds[c + 1]; u++)
            {
                float* g = rowGrads + (long)u * d;
                Simd.Zero(g, d);
                int i = first[u];
                for (; i + 4 <= first[u + 1]; i += 4)
                {
                    for (int a = i + distance; a < Math.Min(i1, i + 4 + distance); a++)
                        Simd.Prefetch(source + (long)(order[a] / slots) * d, d);
                    Simd.Axpy4<V, S>(scale, source + (long)(order[i] / slots) * d, scale, source + (long)(order[i + 1] / slots) * d,
                        scale, source + (long)(order[i + 2] / slots) * d, scale, source + (long)(order[i + 3] / slots) * d, g, d);
                }
                for (; i < first[u + 1]; i++)
                {
                    if (i + distance < i1) Simd.Prefetch(source + (long)(order[i + distance] / slots) * d, d);
                    Simd.Axpy<V, S>(scale, source + (long)(order[i] / slots) * d, g, d);
                }
            }
        });
    }
}
