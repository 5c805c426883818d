using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The decoder's update in one pass over its rows: each row's gradient loses its part along the row
/// (<see cref="RemoveParallelGrad"/>), the row takes its Adam step (<see cref="Adam"/>) and is put back on the unit
/// sphere (<see cref="NormalizeRows"/>), while the row, its gradient and its moments are in L1. The three alone stream
/// W_dec and its gradient from memory three times (in the step they are long evicted); each is row-local or
/// elementwise, so doing them row by row gives their bits.
/// </summary>
public static unsafe class DecoderAdam
{
    public static void Run(float* w, float* grad, float* moment1, float* moment2, int rowCount, int d, AdamStep s)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(w, grad, moment1, moment2, rowCount, d, s); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(w, grad, moment1, moment2, rowCount, d, s); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(w, grad, moment1, moment2, rowCount, d, s); break;
            default: Run<float, SimdScalar>(w, grad, moment1, moment2, rowCount, d, s); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* w, float* grad, float* moment1, float* moment2, int rowCount, int d, AdamStep s) where V : struct where S : struct, ISimd<V>
    {
        float stepSize = s.LearningRate / s.Correction1, inverseCorrection2 = 1 / s.Correction2;
        CpuParallel.For(rowCount, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (m0, m1) =>
        {
            for (int m = m0; m < m1; m++)
            {
                long offset = (long)m * d;
                float* row = w + offset, g = grad + offset;
                RemoveParallelGrad.Row<V, S>(row, g, d);
                Adam.Update<V, S>(row, g, moment1 + offset, moment2 + offset, d, s.Beta1, s.Beta2, s.Epsilon, stepSize, inverseCorrection2);
                NormalizeRows.Row<V, S>(row, d);
            }
        });
    }
}
