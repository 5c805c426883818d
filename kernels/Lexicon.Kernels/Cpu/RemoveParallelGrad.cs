using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>grad[m] −= (grad[m] · w[m]) w[m] for unit-norm decoder rows.</summary>
public static unsafe class RemoveParallelGrad
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* w, float* grad, int rowCount, int d)
    {
        CpuParallel.For(rowCount, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (m0, m1) =>
        {
            for (int m = m0; m < m1; m++)
            {
                float* row = w + (long)m * d, g = grad + (long)m * d;
                Simd.Axpy(-Simd.Dot(g, row, d), row, g, d);
            }
        });
    }
}
