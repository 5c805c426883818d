using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>w[m] /= ‖w[m]‖; zero rows stay zero.</summary>
public static unsafe class NormalizeRows
{
    public static void Run(float* w, int rowCount, int d)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(w, rowCount, d); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(w, rowCount, d); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(w, rowCount, d); break;
            default: Run<float, SimdScalar>(w, rowCount, d); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* w, int rowCount, int d) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rowCount, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (m0, m1) =>
        {
            for (int m = m0; m < m1; m++) Row<V, S>(w + (long)m * d, d);
        });
    }

    /// <summary>One row (shared with <see cref="DecoderAdam"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Row<V, S>(float* row, int d) where V : struct where S : struct, ISimd<V>
    {
        float norm = MathF.Sqrt(Simd.Dot<V, S>(row, row, d));
        if (norm != 0) Simd.Scale<V, S>(row, 1 / norm, d);
    }
}
