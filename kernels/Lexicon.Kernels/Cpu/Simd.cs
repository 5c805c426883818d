using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>The small vector loops the sparse kernels share (Vector512 body, scalar tail, as TensorPrimitives does).</summary>
internal static unsafe class Simd
{
    /// <summary>Rows gathered this many entries ahead are prefetched (1 to 4 measured alike; 8 was worse).</summary>
    public const int PrefetchDistance = 2;

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

    /// <summary>y += a0·x0, then += a1·x1, += a2·x2, += a3·x3: the same roundings as four <see cref="Axpy"/> calls in that
    /// order, with y loaded and stored once instead of four times.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy4(float a0, float* x0, float a1, float* x1, float a2, float* x2, float a3, float* x3, float* y, int n)
    {
        int i = 0;
        Vector512<float> v0 = Vector512.Create(a0), v1 = Vector512.Create(a1), v2 = Vector512.Create(a2), v3 = Vector512.Create(a3);
        for (; i <= n - 16; i += 16)
        {
            var acc = Vector512.FusedMultiplyAdd(v0, Vector512.Load(x0 + i), Vector512.Load(y + i));
            acc = Vector512.FusedMultiplyAdd(v1, Vector512.Load(x1 + i), acc);
            acc = Vector512.FusedMultiplyAdd(v2, Vector512.Load(x2 + i), acc);
            Vector512.Store(Vector512.FusedMultiplyAdd(v3, Vector512.Load(x3 + i), acc), y + i);
        }
        for (; i < n; i++)
        {
            float acc = MathF.FusedMultiplyAdd(a0, x0[i], y[i]);
            acc = MathF.FusedMultiplyAdd(a1, x1[i], acc);
            acc = MathF.FusedMultiplyAdd(a2, x2[i], acc);
            y[i] = MathF.FusedMultiplyAdd(a3, x3[i], acc);
        }
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

    /// <summary>Four dots x_j · y at once, each in exactly the order of <see cref="Dot"/> (so bit for bit the same), with
    /// y loaded once per step and four rows' misses in flight together.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Dot4(float* x0, float* x1, float* x2, float* x3, float* y, int n, out float d0, out float d1, out float d2, out float d3)
    {
        int i = 0;
        Vector512<float> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
        for (; i <= n - 32; i += 32)
        {
            var ylo = Vector512.Load(y + i);
            var yhi = Vector512.Load(y + i + 16);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x0 + i), ylo, a0);
            b0 = Vector512.FusedMultiplyAdd(Vector512.Load(x0 + i + 16), yhi, b0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i), ylo, a1);
            b1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i + 16), yhi, b1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i), ylo, a2);
            b2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i + 16), yhi, b2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i), ylo, a3);
            b3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i + 16), yhi, b3);
        }
        for (; i <= n - 16; i += 16)
        {
            var yv = Vector512.Load(y + i);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x0 + i), yv, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i), yv, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Load(x2 + i), yv, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i), yv, a3);
        }
        d0 = Vector512.Sum(a0 + b0);
        d1 = Vector512.Sum(a1 + b1);
        d2 = Vector512.Sum(a2 + b2);
        d3 = Vector512.Sum(a3 + b3);
        for (; i < n; i++)
        {
            d0 = MathF.FusedMultiplyAdd(x0[i], y[i], d0);
            d1 = MathF.FusedMultiplyAdd(x1[i], y[i], d1);
            d2 = MathF.FusedMultiplyAdd(x2[i], y[i], d2);
            d3 = MathF.FusedMultiplyAdd(x3[i], y[i], d3);
        }
    }

    /// <summary>z = x − y over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(float* x, float* y, float* z, int n)
    {
        int i = 0;
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) - Vector512.Load(y + i), z + i);
        for (; i < n; i++) z[i] = x[i] - y[i];
    }

    /// <summary>y = x·a + y over n floats, multiply and add rounded separately (as TensorPrimitives.MultiplyAdd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float* x, float a, float* y, long n)
    {
        long i = 0;
        var va = Vector512.Create(a);
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) * va + Vector512.Load(y + i), y + i);
        for (; i < n; i++) y[i] = x[i] * a + y[i];
    }

    /// <summary>x *= a over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(float* x, float a, int n)
    {
        int i = 0;
        var va = Vector512.Create(a);
        for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(x + i) * va, x + i);
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
    public static void CopyStreaming(float* src, float* dst, int n)
    {
        int i = 0;
        if (((nint)dst & 63) == 0)
            for (; i <= n - 16; i += 16) Vector512.StoreAlignedNonTemporal(Vector512.Load(src + i), dst + i);
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
    public static void ZeroStreaming(float* dst, int n)
    {
        int i = 0;
        if (((nint)dst & 63) == 0)
            for (; i <= n - 16; i += 16) Vector512.StoreAlignedNonTemporal(Vector512<float>.Zero, dst + i);
        for (; i < n; i++) dst[i] = 0;
    }

    /// <summary>The largest lane (x86 max: a NaN lane may be passed over; callers treat NaN rows separately).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector512<float> v)
    {
        var half = Vector256.MaxNative(v.GetLower(), v.GetUpper());
        var quarter = Vector128.MaxNative(half.GetLower(), half.GetUpper());
        quarter = Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MaxNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMin(Vector512<float> v)
    {
        var half = Vector256.MinNative(v.GetLower(), v.GetUpper());
        var quarter = Vector128.MinNative(half.GetLower(), half.GetUpper());
        quarter = Vector128.MinNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MinNative(quarter, Vector128.Shuffle(quarter, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }
}
