using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>The threshold of <see cref="TopK"/>: found by bisection, each step one SIMD count.</summary>
internal static unsafe class TopKThreshold
{
    /// <summary>How many more than k may reach τ: each further bisection step is one count over v, each value or panel
    /// let through is read and ranked (quadratic in the candidates). Measured in the W2 and W1 steps on Zen 4, top-k
    /// 3.7–3.9 → 2.1–2.6 ms (W2) and 5.0–5.4 → 3.9–4.6 ms (W1) against the k/4 (8 at k 32) it was.</summary>
    public const int Slack = 2;

    /// <summary>
    /// A threshold τ reached by at least k of v[0..n) (n ≥ k), and by at most about k + <see cref="Slack"/> of them unless ties or the
    /// float resolution forbid: bisection over the ordered bits between the smallest and the largest value, each step
    /// one SIMD count. NaN when v holds NaNs (the caller then orders the whole row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Find<V, S>(float* v, int n, int k) where V : struct where S : struct, ISimd<V>
    {
        var lo = S.Create(float.PositiveInfinity);
        var hi = S.Create(float.NegativeInfinity);
        var nan = S.Zero;
        int i = 0;
        for (; i <= n - S.Count; i += S.Count)
        {
            var x = S.Load(v + i);
            lo = S.MinNative(lo, x);
            hi = S.MaxNative(hi, x);
            nan = S.Or(nan, S.Not(S.Equals(x, x)));
        }
        float min = S.HorizontalMin(lo), max = S.HorizontalMax(hi);
        bool hasNaN = S.AnyBitSet(nan);
        for (; i < n; i++)
        {
            float x = v[i];
            hasNaN |= float.IsNaN(x);
            min = x < min ? x : min;
            max = x > max ? x : max;
        }
        if (hasNaN) return float.NaN;
        uint below = TopKKeys.Ordered(min), above = TopKKeys.Ordered(max) + 1;
        int reached = n;
        while (reached > k + Slack && above - below > 1)
        {
            uint mid = below + (above - below) / 2;
            int c = CountAtLeast<V, S>(v, n, TopKKeys.FromOrdered(mid));
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
    private static int CountAtLeast<V, S>(float* v, int n, float t) where V : struct where S : struct, ISimd<V>
    {
        var tv = S.Create(t);
        int c = 0, i = 0;
        for (; i <= n - S.Count; i += S.Count)
            c += BitOperations.PopCount(S.MostSignificantBits(S.GreaterThanOrEqual(S.Load(v + i), tv)));
        for (; i < n; i++)
            if (v[i] >= t) c++;
        return c;
    }
}
