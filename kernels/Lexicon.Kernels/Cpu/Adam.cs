using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>Adam over a flat parameter range: one streaming pass over param, grad and both moments.</summary>
public static unsafe class Adam
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* param, float* grad, float* moment1, float* moment2, long count, AdamStep s)
    {
        const int chunk = 1 << 14;
        int chunks = (int)((count + chunk - 1) / chunk);
        CpuParallel.For(chunks, 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            long i = (long)c0 * chunk, end = Math.Min(count, (long)c1 * chunk);
            var beta1 = Vector512.Create(s.Beta1);
            var beta2 = Vector512.Create(s.Beta2);
            var oneMinusBeta1 = Vector512.Create(1 - s.Beta1);
            var oneMinusBeta2 = Vector512.Create(1 - s.Beta2);
            var stepSize = Vector512.Create(s.LearningRate / s.Correction1);
            var inverseCorrection2 = Vector512.Create(1 / s.Correction2);
            var epsilon = Vector512.Create(s.Epsilon);
            for (; i <= end - 16; i += 16)
            {
                var g = Vector512.Load(grad + i);
                var m = beta1 * Vector512.Load(moment1 + i) + oneMinusBeta1 * g;
                var v = beta2 * Vector512.Load(moment2 + i) + oneMinusBeta2 * g * g;
                Vector512.Store(m, moment1 + i);
                Vector512.Store(v, moment2 + i);
                var update = stepSize * m / (Vector512.Sqrt(v * inverseCorrection2) + epsilon);
                Vector512.Store(Vector512.Load(param + i) - update, param + i);
            }
            for (; i < end; i++)
            {
                float g = grad[i];
                float m = s.Beta1 * moment1[i] + (1 - s.Beta1) * g;
                float v = s.Beta2 * moment2[i] + (1 - s.Beta2) * g * g;
                moment1[i] = m;
                moment2[i] = v;
                param[i] -= s.LearningRate / s.Correction1 * m / (MathF.Sqrt(v * (1 / s.Correction2)) + s.Epsilon);
            }
        });
    }
}
