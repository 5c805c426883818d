using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>Lazy Adam: the update of <see cref="Adam"/> on the touched table rows only.</summary>
public static unsafe class SparseAdam
{
    public static void Run(float* table, float* moment1, float* moment2, int* touched, float* rowGrads, int count, int d, AdamStep s)
    {
        CpuParallel.For(count, 16, (u0, u1) =>
        {
            var beta1 = Vector512.Create(s.Beta1);
            var beta2 = Vector512.Create(s.Beta2);
            var oneMinusBeta1 = Vector512.Create(1 - s.Beta1);
            var oneMinusBeta2 = Vector512.Create(1 - s.Beta2);
            var stepSize = Vector512.Create(s.LearningRate / s.Correction1);
            var inverseCorrection2 = Vector512.Create(1 / s.Correction2);
            var epsilon = Vector512.Create(s.Epsilon);
            for (int u = u0; u < u1; u++)
            {
                long row = (long)touched[u] * d;
                float* p = table + row, m1 = moment1 + row, m2 = moment2 + row, g = rowGrads + (long)u * d;
                int i = 0;
                for (; i <= d - 16; i += 16)
                {
                    var gv = Vector512.Load(g + i);
                    var m = beta1 * Vector512.Load(m1 + i) + oneMinusBeta1 * gv;
                    var v = beta2 * Vector512.Load(m2 + i) + oneMinusBeta2 * gv * gv;
                    Vector512.Store(m, m1 + i);
                    Vector512.Store(v, m2 + i);
                    Vector512.Store(Vector512.Load(p + i) - stepSize * m / (Vector512.Sqrt(v * inverseCorrection2) + epsilon), p + i);
                }
                for (; i < d; i++)
                {
                    float m = s.Beta1 * m1[i] + (1 - s.Beta1) * g[i];
                    float v = s.Beta2 * m2[i] + (1 - s.Beta2) * g[i] * g[i];
                    m1[i] = m;
                    m2[i] = v;
                    p[i] -= s.LearningRate / s.Correction1 * m / (MathF.Sqrt(v * (1 / s.Correction2)) + s.Epsilon);
                }
            }
        });
    }
}
