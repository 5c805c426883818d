using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>The FMA-throughput loops the CPU roofline is measured with, at the width the kernels run at: independent FMA
/// chains, as many as the FMA pipes × their latency need. 12 fill two pipes of 4 cycles (current x86 cores) and fit
/// AVX2's 16 registers; where the ISA has 32 (AVX-512, ARM64) a 24-chain loop runs too, for cores with four pipes
/// (Neoverse V1/V2, Apple), which 12 chains cannot keep busy. The roof is the faster.</summary>
public static class FmaProbe
{
    public const int Chains = 12, WideChains = 24;

    /// <summary>The chain counts the machine's vector registers hold without spilling.</summary>
    public static int[] ChainCounts() => SimdIsa.VectorRegisters == 32 ? [Chains, WideChains] : [Chains];

    /// <summary>FLOPs of one iteration at a width (an FMA counts 2).</summary>
    public static double FlopsPerIteration(SimdWidth width, int chains = Chains) => chains * SimdIsa.Lanes(width) * 2.0;

    /// <summary>Runs the chains for <paramref name="iterations"/> steps; the result only keeps the loop alive.</summary>
    public static float Run(SimdWidth width, long iterations, int chains = Chains) => (width, chains) switch
    {
        (SimdWidth.V512, WideChains) => Run<Vector512<float>, Simd512, Chains24>(iterations),
        (SimdWidth.V512, _) => Run<Vector512<float>, Simd512, Chains12>(iterations),
        (SimdWidth.V256, WideChains) => Run<Vector256<float>, Simd256, Chains24>(iterations),
        (SimdWidth.V256, _) => Run<Vector256<float>, Simd256, Chains12>(iterations),
        (SimdWidth.V128, WideChains) => Run<Vector128<float>, Simd128, Chains24>(iterations),
        (SimdWidth.V128, _) => Run<Vector128<float>, Simd128, Chains12>(iterations),
        (_, WideChains) => Run<float, SimdScalar, Chains24>(iterations),
        _ => Run<float, SimdScalar, Chains12>(iterations),
    };

    /// <summary>One source for both loops: C as a type, so the 12-chain loop is compiled with the other twelve chains
    /// behind a constant-false test and removed (14 registers live; 26 with them).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run<V, S, C>(long iterations) where V : struct where S : struct, ISimd<V> where C : struct, IFmaChains
    {
        bool wide = C.Value == WideChains;
        var a0 = S.Create(1f);
        V a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        V b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0, b8 = a0, b9 = a0, b10 = a0, b11 = a0;
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
            if (wide)
            {
                b0 = S.Fma(b0, m, c);
                b1 = S.Fma(b1, m, c);
                b2 = S.Fma(b2, m, c);
                b3 = S.Fma(b3, m, c);
                b4 = S.Fma(b4, m, c);
                b5 = S.Fma(b5, m, c);
                b6 = S.Fma(b6, m, c);
                b7 = S.Fma(b7, m, c);
                b8 = S.Fma(b8, m, c);
                b9 = S.Fma(b9, m, c);
                b10 = S.Fma(b10, m, c);
                b11 = S.Fma(b11, m, c);
            }
        }
        var a = S.Add(S.Add(S.Add(a0, a1), S.Add(a2, a3)), S.Add(S.Add(a4, a5), S.Add(a6, a7)));
        a = S.Add(a, S.Add(S.Add(a8, a9), S.Add(a10, a11)));
        if (!wide) return S.Sum(a);
        var b = S.Add(S.Add(S.Add(b0, b1), S.Add(b2, b3)), S.Add(S.Add(b4, b5), S.Add(b6, b7)));
        b = S.Add(b, S.Add(S.Add(b8, b9), S.Add(b10, b11)));
        return S.Sum(S.Add(a, b));
    }
}

/// <summary>The FMA loop's chain count, as a type (see <see cref="FmaProbe"/>).</summary>
public interface IFmaChains
{
    static abstract int Value { get; }
}

public readonly struct Chains12 : IFmaChains { public static int Value => FmaProbe.Chains; }
public readonly struct Chains24 : IFmaChains { public static int Value => FmaProbe.WideChains; }
