using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] = Σ_s table[rowIndex[b, s]]: one row gather per slot, the rows of the slots
/// <see cref="CpuTuning.GatherAhead"/> ahead prefetched (a large table lives in DRAM).</summary>
public static unsafe class TableGather
{
    public static void Run(int* rowIndex, int rows, int slots, float* table, int d, float* output)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(rowIndex, rows, slots, table, d, output); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(rowIndex, rows, slots, table, d, output); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(rowIndex, rows, slots, table, d, output); break;
            default: Run<float, SimdScalar>(rowIndex, rows, slots, table, d, output); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* rowIndex, int rows, int slots, float* table, int d, float* output) where V : struct where S : struct, ISimd<V>
    {
        int distance = CpuTuning.GatherAhead;
        CpuParallel.For(rows, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            long end = (long)b1 * slots;
            for (long e = (long)b0 * slots; e < Math.Min(end, (long)b0 * slots + distance); e++)
                if (rowIndex[e] >= 0) Simd.Prefetch(table + (long)rowIndex[e] * d, d);
            for (int b = b0; b < b1; b++)
            {
                float* y = output + (long)b * d;
                Simd.Zero(y, d);
                for (int s = 0; s < slots; s++)
                {
                    long e = (long)b * slots + s;
                    long ahead = e + distance;
                    if (ahead < end && rowIndex[ahead] >= 0) Simd.Prefetch(table + (long)rowIndex[ahead] * d, d);
                    int r = rowIndex[e];
                    if (r >= 0) Simd.Axpy<V, S>(1, table + (long)r * d, y, d);
                }
            }
        });
    }
}
