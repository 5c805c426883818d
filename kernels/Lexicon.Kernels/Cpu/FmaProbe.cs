using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>The FMA-throughput loop the CPU roofline is measured with, at the width the kernels run at: 12 independent
/// FMA chains (enough to cover the FMA latency on two ports of current cores, and within AVX2's 16 registers).</summary>
public static class FmaProbe
{
    public const int Chains = 12;

    /// <summary>FLOPs of one iteration at a width (an FMA counts 2).</summary>
    public static double FlopsPerIteration(SimdWidth width) => Chains * SimdIsa.Lanes(width) * 2.0;

    /// <summary>Runs the chains for <paramref name="iterations"/> steps; the result only keeps the loop alive.</summary>
    public static float Run(SimdWidth width, long iterations) => width switch
    {
        SimdWidth.V512 => Run<Vector512<float>, Simd512>(iterations),
        SimdWidth.V256 => Run<Vector256<float>, Simd256>(iterations),
        SimdWidth.V128 => Run<Vector128<float>, Simd128>(iterations),
        _ => Run<float, SimdScalar>(iterations),
    };

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run<V, S>(long iterations) where V : struct where S : struct, ISimd<V>
    {
        var a0 = S.Create(1f);
        V a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var m = S.Create(0.999999f);
        var c = S.Create(1e-6f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = S.Fma(a0, m, c);
            a1 = S.Fma(a1, m, c);
            a2 = S.Fma(a2, m, c);
            a3 = S.Fma(a3, m, c);
            a4 = S.Fma(a4, m, c);
            a5 = S.Fma(a5, m, c);
            a6 = S.Fma(a6, m, c);
            a7 = S.Fma(a7, m, c);
            a8 = S.Fma(a8, m, c);
            a9 = S.Fma(a9, m, c);
            a10 = S.Fma(a10, m, c);
            a11 = S.Fma(a11, m, c);
        }
        var sum = S.Add(S.Add(S.Add(a0, a1), S.Add(a2, a3)), S.Add(S.Add(a4, a5), S.Add(a6, a7)));
        return S.Sum(S.Add(sum, S.Add(S.Add(a8, a9), S.Add(a10, a11))));
    }
}
