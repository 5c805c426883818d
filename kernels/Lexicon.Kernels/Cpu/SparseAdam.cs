using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>Lazy Adam on the touched table rows: per row its own step count (bias corrections) and its table's rate.</summary>
public static unsafe class SparseAdam
{
    public static void Run(float* table, float* moment1, float* moment2, int* rowSteps, int* touched, float* rowGrads, int count, int d, TableAdam s)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(table, moment1, moment2, rowSteps, touched, rowGrads, count, d, s); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(table, moment1, moment2, rowSteps, touched, rowGrads, count, d, s); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(table, moment1, moment2, rowSteps, touched, rowGrads, count, d, s); break;
            default: Run<float, SimdScalar>(table, moment1, moment2, rowSteps, touched, rowGrads, count, d, s); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* table, float* moment1, float* moment2, int* rowSteps, int* touched, float* rowGrads, int count, int d, TableAdam s) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(count, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            for (int u = u0; u < u1; u++)
            {
                int r = touched[u];
                int n = ++rowSteps[r];
                float stepSize = (float)(s.LearningRateOf(r) / (1 - Math.Pow(s.Beta1, n)));
                float inverseCorrection2 = (float)(1 / (1 - Math.Pow(s.Beta2, n)));
                long row = (long)r * d;
                Adam.Update<V, S>(table + row, rowGrads + (long)u * d, moment1 + row, moment2 + row, d, s.Beta1, s.Beta2, s.Epsilon, stepSize, inverseCorrection2);
            }
        });
    }
}
