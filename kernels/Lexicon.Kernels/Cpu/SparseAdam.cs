using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>Lazy Adam on the touched table rows: per row its own step count (bias corrections) and its table's rate.</summary>
public static unsafe class SparseAdam
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* table, float* moment1, float* moment2, int* rowSteps, int* touched, float* rowGrads, int count, int d, TableAdam s)
    {
        CpuParallel.For(count, 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            var beta1 = Vector512.Create(s.Beta1);
            var beta2 = Vector512.Create(s.Beta2);
            var oneMinusBeta1 = Vector512.Create(1 - s.Beta1);
            var oneMinusBeta2 = Vector512.Create(1 - s.Beta2);
            var epsilon = Vector512.Create(s.Epsilon);
            for (int u = u0; u < u1; u++)
            {
                int r = touched[u];
                int n = ++rowSteps[r];
                float stepSize = (float)(s.LearningRateOf(r) / (1 - Math.Pow(s.Beta1, n)));
                float inverseCorrection2 = (float)(1 / (1 - Math.Pow(s.Beta2, n)));
                var stepSizes = Vector512.Create(stepSize);
                var inverseCorrections2 = Vector512.Create(inverseCorrection2);
                long row = (long)r * d;
                float* p = table + row, m1 = moment1 + row, m2 = moment2 + row, g = rowGrads + (long)u * d;
                int i = 0;
                for (; i <= d - 16; i += 16)
                {
                    var gv = Vector512.Load(g + i);
                    var m = beta1 * Vector512.Load(m1 + i) + oneMinusBeta1 * gv;
                    var v = beta2 * Vector512.Load(m2 + i) + oneMinusBeta2 * gv * gv;
                    Vector512.Store(m, m1 + i);
                    Vector512.Store(v, m2 + i);
                    Vector512.Store(Vector512.Load(p + i) - stepSizes * m / (Vector512.Sqrt(v * inverseCorrections2) + epsilon), p + i);
                }
                for (; i < d; i++)
                {
                    float m = s.Beta1 * m1[i] + (1 - s.Beta1) * g[i];
                    float v = s.Beta2 * m2[i] + (1 - s.Beta2) * g[i] * g[i];
                    m1[i] = m;
                    m2[i] = v;
                    p[i] -= stepSize * m / (MathF.Sqrt(v * inverseCorrection2) + s.Epsilon);
                }
            }
        });
    }
}
