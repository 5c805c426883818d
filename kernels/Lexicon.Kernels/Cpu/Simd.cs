using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>The small vector loops the sparse kernels share (Vector512 body, scalar tail, as TensorPrimitives does).</summary>
internal static unsafe class Simd
{
    /// <summary>y += a·x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, float* x, float* y, int n)
    {
        int i = 0;
        var va = Vector512.Create(a);
        for (; i <= n - 16; i += 16)
            Vector512.Store(Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)), y + i);
        for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>x · y over n floats (fixed association order, so the result is reproducible).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* x, float* y, int n)
    {
        int i = 0;
        var acc0 = Vector512<float>.Zero;
        var acc1 = Vector512<float>.Zero;
        for (; i <= n - 32; i += 32)
        {
            acc0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), acc0);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16), Vector512.Load(y + i + 16), acc1);
        }
        for (; i <= n - 16; i += 16)
            acc0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), acc0);
        float sum = Vector512.Sum(acc0 + acc1);
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }

    /// <summary>y = 0 over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(float* y, int n) => new Span<float>(y, n).Clear();
}
