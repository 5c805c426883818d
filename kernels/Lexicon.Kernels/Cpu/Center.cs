using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>xc[b] = x[b] − bDec.</summary>
public static unsafe class Center
{
    public static void Run(float* x, float* bDec, float* xc, int rows, int d)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(x, bDec, xc, rows, d); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(x, bDec, xc, rows, d); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(x, bDec, xc, rows, d); break;
            default: Run<float, SimdScalar>(x, bDec, xc, rows, d); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* x, float* bDec, float* xc, int rows, int d) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rows, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            for (int b = b0; b < b1; b++) Simd.Subtract<V, S>(x + (long)b * d, bDec, xc + (long)b * d, d);
        });
    }
}
