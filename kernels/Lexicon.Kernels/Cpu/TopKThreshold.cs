using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>The threshold of <see cref="TopK"/>: found by bisection, each step one SIMD count.</summary>
internal static unsafe class TopKThreshold
{
    /// <summary>
    /// A threshold τ reached by at least k of v[0..n) (n ≥ k), and by at most about k + k/4 of them unless ties or the
    /// float resolution forbid: bisection over the ordered bits between the smallest and the largest value, each step
    /// one SIMD count. NaN when v holds NaNs (the caller then orders the whole row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Find(float* v, int n, int k)
    {
        var lo = Vector512.Create(float.PositiveInfinity);
        var hi = Vector512.Create(float.NegativeInfinity);
        var nan = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            var x = Vector512.Load(v + i);
            lo = Vector512.MinNative(lo, x);
            hi = Vector512.MaxNative(hi, x);
            nan |= ~Vector512.Equals(x, x);
        }
        float min = Simd.HorizontalMin(lo), max = Simd.HorizontalMax(hi);
        bool hasNaN = nan != Vector512<float>.Zero;
        for (; i < n; i++)
        {
            float x = v[i];
            hasNaN |= float.IsNaN(x);
            min = x < min ? x : min;
            max = x > max ? x : max;
        }
        if (hasNaN) return float.NaN;
        int slack = Math.Max(2, k / 4);
        uint below = TopKKeys.Ordered(min), above = TopKKeys.Ordered(max) + 1;
        int reached = n;
        while (reached > k + slack && above - below > 1)
        {
            uint mid = below + (above - below) / 2;
            int c = CountAtLeast(v, n, TopKKeys.FromOrdered(mid));
            if (c >= k)
            {
                below = mid;
                reached = c;
            }
            else above = mid;
        }
        return TopKKeys.FromOrdered(below);
    }

    /// <summary>How many of v[0..n) are ≥ t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountAtLeast(float* v, int n, float t)
    {
        var tv = Vector512.Create(t);
        int c = 0, i = 0;
        for (; i <= n - 16; i += 16)
            c += BitOperations.PopCount((uint)Vector512.GreaterThanOrEqual(Vector512.Load(v + i), tv).ExtractMostSignificantBits());
        for (; i < n; i++)
            if (v[i] >= t) c++;
        return c;
    }
}
