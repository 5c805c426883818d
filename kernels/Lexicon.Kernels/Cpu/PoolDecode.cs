using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]]: the pooled features' part of the reconstruction.</summary>
public static unsafe class PoolDecode
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int* index, float* value, int rows, int active, float* pool, int d, float* output)
    {
        CpuParallel.For(rows, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
                for (int j = 0; j < active; j++)
                {
                    long e = (long)b * active + j;
                    if (index[e] >= 0) Simd.Axpy(value[e], pool + (long)index[e] * d, output + (long)b * d, d);
                }
        });
    }
}
