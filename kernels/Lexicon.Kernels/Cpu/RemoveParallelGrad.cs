using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>grad[m] −= (grad[m] · w[m]) w[m] for unit-norm decoder rows.</summary>
public static unsafe class RemoveParallelGrad
{
    public static void Run(float* w, float* grad, int rowCount, int d)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(w, grad, rowCount, d); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(w, grad, rowCount, d); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(w, grad, rowCount, d); break;
            default: Run<float, SimdScalar>(w, grad, rowCount, d); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* w, float* grad, int rowCount, int d) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rowCount, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (m0, m1) =>
        {
            for (int m = m0; m < m1; m++) Row<V, S>(w + (long)m * d, grad + (long)m * d, d);
        });
    }

    /// <summary>One row (shared with <see cref="DecoderAdam"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Row<V, S>(float* w, float* grad, int d) where V : struct where S : struct, ISimd<V> =>
        Simd.Axpy<V, S>(-Simd.Dot<V, S>(grad, w, d), w, grad, d);
}
