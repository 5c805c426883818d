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
            Update(param + i, grad + i, moment1 + i, moment2 + i, end - i, s.Beta1, s.Beta2, s.Epsilon, s.LearningRate / s.Correction1, 1 / s.Correction2);
        });
    }

    /// <summary>The Adam update of <paramref name="n"/> consecutive parameters, bias corrections folded into
    /// <paramref name="stepSize"/> (lr / (1 − β₁ᵗ)) and <paramref name="inverseCorrection2"/> (1 / (1 − β₂ᵗ)); shared with
    /// <see cref="SparseAdam"/>, which runs it per touched row with the row's own step count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Update(float* param, float* grad, float* moment1, float* moment2, long n, float beta1, float beta2, float epsilon,
        float stepSize, float inverseCorrection2)
    {
        var b1 = Vector512.Create(beta1);
        var b2 = Vector512.Create(beta2);
        var oneMinusBeta1 = Vector512.Create(1 - beta1);
        var oneMinusBeta2 = Vector512.Create(1 - beta2);
        var stepSizes = Vector512.Create(stepSize);
        var inverseCorrections2 = Vector512.Create(inverseCorrection2);
        var epsilons = Vector512.Create(epsilon);
        long i = 0;
        for (; i <= n - 16; i += 16)
        {
            var g = Vector512.Load(grad + i);
            var m = b1 * Vector512.Load(moment1 + i) + oneMinusBeta1 * g;
            var v = b2 * Vector512.Load(moment2 + i) + oneMinusBeta2 * g * g;
            Vector512.Store(m, moment1 + i);
            Vector512.Store(v, moment2 + i);
            Vector512.Store(Vector512.Load(param + i) - stepSizes * m / (Vector512.Sqrt(v * inverseCorrections2) + epsilons), param + i);
        }
        for (; i < n; i++)
        {
            float g = grad[i];
            float m = beta1 * moment1[i] + (1 - beta1) * g;
            float v = beta2 * moment2[i] + (1 - beta2) * g * g;
            moment1[i] = m;
            moment2[i] = v;
            param[i] -= stepSize * m / (MathF.Sqrt(v * inverseCorrection2) + epsilon);
        }
    }
}
