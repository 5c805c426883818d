using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>residual = predicted − target, grad = gradScale · residual, and per-row squared norms, in one pass.</summary>
public static unsafe class Residual
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* predicted, float* target, int rows, int d, float gradScale,
        float* residual, float* grad, float* rowError, float* rowTarget)
    {
        CpuParallel.For(rows, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            var scale = Vector512.Create(gradScale);
            for (int b = b0; b < b1; b++)
            {
                long o = (long)b * d;
                var error = Vector512<float>.Zero;
                var norm = Vector512<float>.Zero;
                int i = 0;
                for (; i <= d - 16; i += 16)
                {
                    var t = Vector512.Load(target + o + i);
                    var r = Vector512.Load(predicted + o + i) - t;
                    Vector512.Store(r, residual + o + i);
                    Vector512.Store(r * scale, grad + o + i);
                    error = Vector512.FusedMultiplyAdd(r, r, error);
                    norm = Vector512.FusedMultiplyAdd(t, t, norm);
                }
                float e = Vector512.Sum(error), n = Vector512.Sum(norm);
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
