using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]]: the pooled features' part of the reconstruction.</summary>
public static unsafe class PoolDecode
{
    public static void Run(int* index, float* value, int rows, int active, float* pool, int d, float* output)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(index, value, rows, active, pool, d, output); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(index, value, rows, active, pool, d, output); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(index, value, rows, active, pool, d, output); break;
            default: Run<float, SimdScalar>(index, value, rows, active, pool, d, output); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* index, float* value, int rows, int active, float* pool, int d, float* output) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rows, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
                for (int j = 0; j < active; j++)
                {
                    long e = (long)b * active + j;
                    if (index[e] >= 0) Simd.Axpy<V, S>(value[e], pool + (long)index[e] * d, output + (long)b * d, d);
                }
        });
    }
}
