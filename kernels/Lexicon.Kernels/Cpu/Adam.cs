using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>Adam over a flat parameter range: one streaming pass over param, grad and both moments.</summary>
public static unsafe class Adam
{
    public static void Run(float* param, float* grad, float* moment1, float* moment2, long count, AdamStep s)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(param, grad, moment1, moment2, count, s); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(param, grad, moment1, moment2, count, s); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(param, grad, moment1, moment2, count, s); break;
            default: Run<float, SimdScalar>(param, grad, moment1, moment2, count, s); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* param, float* grad, float* moment1, float* moment2, long count, AdamStep s) where V : struct where S : struct, ISimd<V>
    {
        const int chunk = 1 << 14;
        int chunks = (int)((count + chunk - 1) / chunk);
        CpuParallel.For(chunks, 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            long i = (long)c0 * chunk, end = Math.Min(count, (long)c1 * chunk);
            Update<V, S>(param + i, grad + i, moment1 + i, moment2 + i, end - i, s.Beta1, s.Beta2, s.Epsilon, s.LearningRate / s.Correction1, 1 / s.Correction2);
        });
    }

    /// <summary>The Adam update of <paramref name="n"/> consecutive parameters, bias corrections folded into
    /// <paramref name="stepSize"/> (lr / (1 − β₁ᵗ)) and <paramref name="inverseCorrection2"/> (1 / (1 − β₂ᵗ)); shared with
    /// <see cref="SparseAdam"/>, which runs it per touched row with the row's own step count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Update<V, S>(float* param, float* grad, float* moment1, float* moment2, long n, float beta1, float beta2, float epsilon,
        float stepSize, float inverseCorrection2) where V : struct where S : struct, ISimd<V>
    {
        var b1 = S.Create(beta1);
        var b2 = S.Create(beta2);
        var oneMinusBeta1 = S.Create(1 - beta1);
        var oneMinusBeta2 = S.Create(1 - beta2);
        var stepSizes = S.Create(stepSize);
        var inverseCorrections2 = S.Create(inverseCorrection2);
        var epsilons = S.Create(epsilon);
        long i = 0;
        for (; i <= n - S.Count; i += S.Count)
        {
            var g = S.Load(grad + i);
            // Each product and sum rounded on its own, as the scalar tail (no contraction into FMAs).
            var m = S.Add(S.Multiply(b1, S.Load(moment1 + i)), S.Multiply(oneMinusBeta1, g));
            var v = S.Add(S.Multiply(b2, S.Load(moment2 + i)), S.Multiply(S.Multiply(oneMinusBeta2, g), g));
            S.Store(m, moment1 + i);
            S.Store(v, moment2 + i);
            var step = S.Divide(S.Multiply(stepSizes, m), S.Add(S.Sqrt(S.Multiply(v, inverseCorrections2)), epsilons));
            S.Store(S.Subtract(S.Load(param + i), step), param + i);
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
