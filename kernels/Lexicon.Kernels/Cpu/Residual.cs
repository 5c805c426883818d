using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>residual = predicted − target, grad = gradScale · residual, and per-row squared norms, in one pass.</summary>
public static unsafe class Residual
{
    public static void Run(float* predicted, float* target, int rows, int d, float gradScale,
        float* residual, float* grad, float* rowError, float* rowTarget)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget); break;
            default: Run<float, SimdScalar>(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* predicted, float* target, int rows, int d, float gradScale,
        float* residual, float* grad, float* rowError, float* rowTarget) where V : struct where S : struct, ISimd<V>
    {
        CpuParallel.For(rows, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            var scale = S.Create(gradScale);
            for (int b = b0; b < b1; b++)
            {
                long o = (long)b * d;
                var error = S.Zero;
                var norm = S.Zero;
                int i = 0;
                for (; i <= d - S.Count; i += S.Count)
                {
                    var t = S.Load(target + o + i);
                    var r = S.Subtract(S.Load(predicted + o + i), t);
                    S.Store(r, residual + o + i);
                    S.Store(S.Multiply(r, scale), grad + o + i);
                    error = S.Fma(r, r, error);
                    norm = S.Fma(t, t, norm);
                }
                float e = S.Sum(error), n = S.Sum(norm);
                for (; i < d; i++)
                {
                    float t = target[o + i], r = predicted[o + i] - t;
                    residual[o + i] = r;
                    grad[o + i] = r * gradScale;
                    e = MathF.FusedMultiplyAdd(r, r, e);
                    n = MathF.FusedMultiplyAdd(t, t, n);
                }
                rowError[b] = e;
                if (rowTarget != null) rowTarget[b] = n;
            }
        });
    }
}
