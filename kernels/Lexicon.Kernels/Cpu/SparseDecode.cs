using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]]: k row gathers and fp32 FMAs per token, four rows per pass
/// over the output row (the same roundings as one row at a time), the rows of the entries
/// <see cref="CpuTuning.GatherAhead"/> ahead prefetched (W_dec is L3- or DRAM-resident, the rows are random).</summary>
public static unsafe class SparseDecode
{
    public static void Run(int* index, float* value, int rows, int k, float* w, float* bias, float* output, int d) =>
        Run(index, value, rows, k, w, bias, output, d, CpuTuning.GatherAhead);

    /// <summary>With the rows <paramref name="distance"/> entries ahead prefetched (the tuner's candidates): the same bits
    /// at every distance.</summary>
    public static void Run(int* index, float* value, int rows, int k, float* w, float* bias, float* output, int d, int distance)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(index, value, rows, k, w, bias, output, d, distance); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(index, value, rows, k, w, bias, output, d, distance); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(index, value, rows, k, w, bias, output, d, distance); break;
            default: Run<float, SimdScalar>(index, value, rows, k, w, bias, output, d, distance); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* index, float* value, int rows, int k, float* w, float* bias, float* output, int d, int distance) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rows, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            long end = (long)b1 * k;
            for (long e = (long)b0 * k; e < Math.Min(end, (long)b0 * k + distance); e++)
                if (index[e] >= 0) Simd.Prefetch(w + (long)index[e] * d, d);
            var rowsOf = stackalloc float*[4];
            var weights = stackalloc float[4];
            for (int b = b0; b < b1; b++)
            {
                float* y = output + (long)b * d;
                if (bias != null) new ReadOnlySpan<float>(bias, d).CopyTo(new Span<float>(y, d));
                else Simd.Zero(y, d);
                int pending = 0;
                for (int j = 0; j < k; j++)
                {
                    long e = (long)b * k + j;
                    long ahead = e + distance;
                    if (ahead < end && index[ahead] >= 0) Simd.Prefetch(w + (long)index[ahead] * d, d);
                    int m = index[e];
                    if (m < 0) continue;
                    rowsOf[pending] = w + (long)m * d;
                    weights[pending++] = value[e];
                    if (pending == 4)
                    {
                        Simd.Axpy4<V, S>(weights[0], rowsOf[0], weights[1], rowsOf[1], weights[2], rowsOf[2], weights[3], rowsOf[3], y, d);
                        pending = 0;
                    }
                }
                for (int p = 0; p < pending; p++) Simd.Axpy<V, S>(weights[p], rowsOf[p], y, d);
            }
        });
    }
}
