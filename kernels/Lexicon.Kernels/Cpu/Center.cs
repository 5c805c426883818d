using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>xc[b] = x[b] − bDec.</summary>
public static unsafe class Center
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* x, float* bDec, float* xc, int rows, int d)
    {
        CpuParallel.For(rows, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            for (int b = b0; b < b1; b++) Simd.Subtract(x + (long)b * d, bDec, xc + (long)b * d, d);
        });
    }
}
