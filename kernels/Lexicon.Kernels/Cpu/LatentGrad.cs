using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0: one d-long dot per fired entry, four at a time
/// (each in the order of a single dot), with the rows <see cref="CpuTuning.GatherAhead"/> entries ahead prefetched.</summary>
public static unsafe class LatentGrad
{
    public static void Run(int* index, float* value, int rows, int k, float* w, float* grad, int d, float* gAct) =>
        Run(index, value, rows, k, w, grad, d, gAct, CpuTuning.GatherAhead);

    /// <summary>With the rows <paramref name="distance"/> entries ahead prefetched (the tuner's candidates): the same bits
    /// at every distance.</summary>
    public static void Run(int* index, float* value, int rows, int k, float* w, float* grad, int d, float* gAct, int distance)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(index, value, rows, k, w, grad, d, gAct, distance); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(index, value, rows, k, w, grad, d, gAct, distance); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(index, value, rows, k, w, grad, d, gAct, distance); break;
            default: Run<float, SimdScalar>(index, value, rows, k, w, grad, d, gAct, distance); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* index, float* value, int rows, int k, float* w, float* grad, int d, float* gAct, int distance) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rows, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            long end = (long)b1 * k;
            for (long e = (long)b0 * k; e < Math.Min(end, (long)b0 * k + distance); e++)
                if (index[e] >= 0 && value[e] > 0) Simd.Prefetch(w + (long)index[e] * d, d);
            var slots = stackalloc long[4];
            for (int b = b0; b < b1; b++)
            {
                float* g = grad + (long)b * d;
                int pending = 0;
                for (int j = 0; j < k; j++)
                {
                    long e = (long)b * k + j;
                    long ahead = e + distance;
                    if (ahead < end && index[ahead] >= 0 && value[ahead] > 0) Simd.Prefetch(w + (long)index[ahead] * d, d);
                    if (index[e] < 0 || !(value[e] > 0))
                    {
                        gAct[e] = 0;
                        continue;
                    }
                    slots[pending++] = e;
                    if (pending < 4) continue;
                    Simd.Dot4<V, S>(w + (long)index[slots[0]] * d, w + (long)index[slots[1]] * d, w + (long)index[slots[2]] * d,
                        w + (long)index[slots[3]] * d, g, d, out gAct[slots[0]], out gAct[slots[1]], out gAct[slots[2]], out gAct[slots[3]]);
                    pending = 0;
                }
                for (int p = 0; p < pending; p++) gAct[slots[p]] = Simd.Dot<V, S>(w + (long)index[slots[p]] * d, g, d);
            }
        });
    }
}
