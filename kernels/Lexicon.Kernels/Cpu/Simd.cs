using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>The small vector loops the sparse kernels share, generic over the width (<see cref="ISimd{V}"/>): vector
/// body, scalar tail, as TensorPrimitives does. At 512 bits each is, operation for operation, the Vector512 loop it
/// replaced, so its results are the same bits.</summary>
internal static unsafe class Simd
{
    /// <summary>The default of <see cref="CpuTuning.GatherAhead"/>: rows gathered this many entries ahead are prefetched
    /// (on Zen 4, 1 to 4 measured alike; 8 was worse).</summary>
    public const int PrefetchDistance = 2;

    /// <summary>y += a·x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy<V, S>(float a, float* x, float* y, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        var va = S.Create(a);
        for (; i <= n - S.Count; i += S.Count)
            S.Store(S.Fma(va, S.Load(x + i), S.Load(y + i)), y + i);
        for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>y += a0·x0, then += a1·x1, += a2·x2, += a3·x3: the same roundings as four <see cref="Axpy"/> calls in that
    /// order, with y loaded and stored once instead of four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy4<V, S>(float a0, float* x0, float a1, float* x1, float a2, float* x2, float a3, float* x3, float* y, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        V v0 = S.Create(a0), v1 = S.Create(a1), v2 = S.Create(a2), v3 = S.Create(a3);
        for (; i <= n - S.Count; i += S.Count)
        {
            var acc = S.Fma(v0, S.Load(x0 + i), S.Load(y + i));
            acc = S.Fma(v1, S.Load(x1 + i), acc);
            acc = S.Fma(v2, S.Load(x2 + i), acc);
            S.Store(S.Fma(v3, S.Load(x3 + i), acc), y + i);
        }
        for (; i < n; i++)
        {
            float acc = MathF.FusedMultiplyAdd(a0, x0[i], y[i]);
            acc = MathF.FusedMultiplyAdd(a1, x1[i], acc);
            acc = MathF.FusedMultiplyAdd(a2, x2[i], acc);
            y[i] = MathF.FusedMultiplyAdd(a3, x3[i], acc);
        }
    }

    /// <summary>x · y over n floats (fixed association order per width, so the result is reproducible).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot<V, S>(float* x, float* y, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0, w = S.Count;
        var acc0 = S.Zero;
        var acc1 = S.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            acc0 = S.Fma(S.Load(x + i), S.Load(y + i), acc0);
            acc1 = S.Fma(S.Load(x + i + w), S.Load(y + i + w), acc1);
        }
        for (; i <= n - w; i += w)
            acc0 = S.Fma(S.Load(x + i), S.Load(y + i), acc0);
        float sum = S.Sum(S.Add(acc0, acc1));
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }

    /// <summary>Four dots x_j · y at once, each in exactly the order of <see cref="Dot"/> (so bit for bit the same), with
    /// y loaded once per step and four rows' misses in flight together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4<V, S>(float* x0, float* x1, float* x2, float* x3, float* y, int n, out float d0, out float d1, out float d2, out float d3) where V : struct where S : struct, ISimd<V>
    {
        int i = 0, w = S.Count;
        V a0 = S.Zero, b0 = S.Zero, a1 = S.Zero, b1 = S.Zero, a2 = S.Zero, b2 = S.Zero, a3 = S.Zero, b3 = S.Zero;
        for (; i <= n - 2 * w; i += 2 * w)
        {
            var ylo = S.Load(y + i);
            var yhi = S.Load(y + i + w);
            a0 = S.Fma(S.Load(x0 + i), ylo, a0);
            b0 = S.Fma(S.Load(x0 + i + w), yhi, b0);
            a1 = S.Fma(S.Load(x1 + i), ylo, a1);
            b1 = S.Fma(S.Load(x1 + i + w), yhi, b1);
            a2 = S.Fma(S.Load(x2 + i), ylo, a2);
            b2 = S.Fma(S.Load(x2 + i + w), yhi, b2);
            a3 = S.Fma(S.Load(x3 + i), ylo, a3);
            b3 = S.Fma(S.Load(x3 + i + w), yhi, b3);
        }
        for (; i <= n - w; i += w)
        {
            var yv = S.Load(y + i);
            a0 = S.Fma(S.Load(x0 + i), yv, a0);
            a1 = S.Fma(S.Load(x1 + i), yv, a1);
            a2 = S.Fma(S.Load(x2 + i), yv, a2);
            a3 = S.Fma(S.Load(x3 + i), yv, a3);
        }
        d0 = S.Sum(S.Add(a0, b0));
        d1 = S.Sum(S.Add(a1, b1));
        d2 = S.Sum(S.Add(a2, b2));
        d3 = S.Sum(S.Add(a3, b3));
        for (; i < n; i++)
        {
            d0 = MathF.FusedMultiplyAdd(x0[i], y[i], d0);
            d1 = MathF.FusedMultiplyAdd(x1[i], y[i], d1);
            d2 = MathF.FusedMultiplyAdd(x2[i], y[i], d2);
            d3 = MathF.FusedMultiplyAdd(x3[i], y[i], d3);
        }
    }

    /// <summary><see cref="Axpy4"/> (y += a0·x0 … a3·x3, its roundings) and the four dots x_j · w in
    /// <see cref="Dot"/>'s order (the same bits: x·w and w·x round alike), in one pass over the four rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy4Dot4<V, S>(float a0, float* x0, float a1, float* x1, float a2, float* x2, float a3, float* x3, float* y, float* w, int n,
        out float d0, out float d1, out float d2, out float d3) where V : struct where S : struct, ISimd<V>
    {
        int i = 0, c = S.Count;
        V v0 = S.Create(a0), v1 = S.Create(a1), v2 = S.Create(a2), v3 = S.Create(a3);
        V p0 = S.Zero, q0 = S.Zero, p1 = S.Zero, q1 = S.Zero, p2 = S.Zero, q2 = S.Zero, p3 = S.Zero, q3 = S.Zero;
        for (; i <= n - 2 * c; i += 2 * c)
        {
            var wl = S.Load(w + i);
            var wh = S.Load(w + i + c);
            var x0l = S.Load(x0 + i);
            var x1l = S.Load(x1 + i);
            var x2l = S.Load(x2 + i);
            var x3l = S.Load(x3 + i);
            p0 = S.Fma(x0l, wl, p0);
            p1 = S.Fma(x1l, wl, p1);
            p2 = S.Fma(x2l, wl, p2);
            p3 = S.Fma(x3l, wl, p3);
            S.Store(S.Fma(v3, x3l, S.Fma(v2, x2l, S.Fma(v1, x1l, S.Fma(v0, x0l, S.Load(y + i))))), y + i);
            var x0h = S.Load(x0 + i + c);
            var x1h = S.Load(x1 + i + c);
            var x2h = S.Load(x2 + i + c);
            var x3h = S.Load(x3 + i + c);
            q0 = S.Fma(x0h, wh, q0);
            q1 = S.Fma(x1h, wh, q1);
            q2 = S.Fma(x2h, wh, q2);
            q3 = S.Fma(x3h, wh, q3);
            S.Store(S.Fma(v3, x3h, S.Fma(v2, x2h, S.Fma(v1, x1h, S.Fma(v0, x0h, S.Load(y + i + c))))), y + i + c);
        }
        for (; i <= n - c; i += c)
        {
            var wv = S.Load(w + i);
            V x0v = S.Load(x0 + i), x1v = S.Load(x1 + i), x2v = S.Load(x2 + i), x3v = S.Load(x3 + i);
            p0 = S.Fma(x0v, wv, p0);
            p1 = S.Fma(x1v, wv, p1);
            p2 = S.Fma(x2v, wv, p2);
            p3 = S.Fma(x3v, wv, p3);
            S.Store(S.Fma(v3, x3v, S.Fma(v2, x2v, S.Fma(v1, x1v, S.Fma(v0, x0v, S.Load(y + i))))), y + i);
        }
        d0 = S.Sum(S.Add(p0, q0));
        d1 = S.Sum(S.Add(p1, q1));
        d2 = S.Sum(S.Add(p2, q2));
        d3 = S.Sum(S.Add(p3, q3));
        for (; i < n; i++)
        {
            d0 = MathF.FusedMultiplyAdd(x0[i], w[i], d0);
            d1 = MathF.FusedMultiplyAdd(x1[i], w[i], d1);
            d2 = MathF.FusedMultiplyAdd(x2[i], w[i], d2);
            d3 = MathF.FusedMultiplyAdd(x3[i], w[i], d3);
            float acc = MathF.FusedMultiplyAdd(a0, x0[i], y[i]);
            acc = MathF.FusedMultiplyAdd(a1, x1[i], acc);
            acc = MathF.FusedMultiplyAdd(a2, x2[i], acc);
            y[i] = MathF.FusedMultiplyAdd(a3, x3[i], acc);
        }
    }

    /// <summary>z = x − y over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract<V, S>(float* x, float* y, float* z, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        for (; i <= n - S.Count; i += S.Count) S.Store(S.Subtract(S.Load(x + i), S.Load(y + i)), z + i);
        for (; i < n; i++) z[i] = x[i] - y[i];
    }

    /// <summary>y = x·a + y over n floats, multiply and add rounded separately (as TensorPrimitives.MultiplyAdd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd<V, S>(float* x, float a, float* y, long n) where V : struct where S : struct, ISimd<V>
    {
        long i = 0;
        var va = S.Create(a);
        for (; i <= n - S.Count; i += S.Count) S.Store(S.Add(S.Multiply(S.Load(x + i), va), S.Load(y + i)), y + i);
        for (; i < n; i++) y[i] = x[i] * a + y[i];
    }

    /// <summary>x *= a over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<V, S>(float* x, float a, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        var va = S.Create(a);
        for (; i <= n - S.Count; i += S.Count) S.Store(S.Multiply(S.Load(x + i), va), x + i);
        for (; i < n; i++) x[i] *= a;
    }

    /// <summary>y = 0 over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zero(float* y, int n) => new Span<float>(y, n).Clear();

    /// <summary>Asks for the cache lines of n floats from x on, into L2 (a gathered row needed a few rows from now). Measured
    /// on the gathers of W1 (W_dec 50 MB, grad and xc 12.6 MB each): 30–35% off SparseDecode, LatentGrad and
    /// SparseWeightGrads against the hardware prefetchers alone; into L1 (prefetcht0) was no better than none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(float* x, int n)
    {
        if (!Sse.IsSupported) return;
        for (int i = 0; i < n; i += 16) Sse.Prefetch1(x + i);
        Sse.Prefetch1(x + n - 1);
    }

    /// <summary>dst = src over n floats, with streaming (non-temporal) stores where dst is 64-byte aligned: a result
    /// written once and read much later does not evict the working set nor cost a read for ownership.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyStreaming<V, S>(float* src, float* dst, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        if (((nint)dst & 63) == 0)
            for (; i <= n - S.Count; i += S.Count) S.StoreStreaming(S.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] = src[i];
    }

    /// <summary>Orders the streaming stores before whatever follows (another thread may read them next).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StreamingDone()
    {
        if (Sse.IsSupported) Sse.StoreFence();
    }

    /// <summary>dst = 0 over n floats, streaming as <see cref="CopyStreaming"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ZeroStreaming<V, S>(float* dst, int n) where V : struct where S : struct, ISimd<V>
    {
        int i = 0;
        if (((nint)dst & 63) == 0)
            for (; i <= n - S.Count; i += S.Count) S.StoreStreaming(S.Zero, dst + i);
        for (; i < n; i++) dst[i] = 0;
    }
}
