using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// One vector width's fp32 operations, as static members of a struct, so that a kernel written once as a generic method
/// over (<typeparamref name="V"/>, S : ISimd&lt;V&gt;) is compiled by the JIT once per width with every call inlined —
/// TensorPrimitives' manner, without a copy of the kernel per width. Implemented by <see cref="Simd512"/>,
/// <see cref="Simd256"/>, <see cref="Simd128"/> and <see cref="SimdScalar"/> (V = float, one lane); a kernel's public
/// entry switches on <see cref="SimdIsa.Current"/>.
/// </summary>
public unsafe interface ISimd<V> where V : struct
{
    /// <summary>Lanes (floats) per vector.</summary>
    static abstract int Count { get; }
    static abstract V Zero { get; }
    static abstract V Create(float a);
    static abstract V Load(float* p);
    static abstract void Store(V v, float* p);
    /// <summary>A streaming store; p aligned to the vector's size.</summary>
    static abstract void StoreStreaming(V v, float* p);
    static abstract V Add(V a, V b);
    static abstract V Subtract(V a, V b);
    static abstract V Multiply(V a, V b);
    static abstract V Divide(V a, V b);
    static abstract V Sqrt(V a);
    /// <summary>a·b + c, rounded once.</summary>
    static abstract V Fma(V a, V b, V c);
    /// <summary>IEEE maximum (NaN propagates, +0 above −0): ReLU.</summary>
    static abstract V Max(V a, V b);
    /// <summary>The platform's max (x86: a &gt; b ? a : b).</summary>
    static abstract V MaxNative(V a, V b);
    static abstract V MinNative(V a, V b);
    /// <summary>All lanes' sum, in the platform's fixed order.</summary>
    static abstract float Sum(V a);
    /// <summary>The largest lane (x86 max: a NaN lane may be passed over; callers treat NaN rows separately).</summary>
    static abstract float HorizontalMax(V a);
    static abstract float HorizontalMin(V a);
    /// <summary>Lane masks (all bits set where true).</summary>
    static abstract V GreaterThanOrEqual(V a, V b);
    static abstract V Equals(V a, V b);
    static abstract V Or(V a, V b);
    /// <summary>Per lane, a where the mask's bits are set, else b (a mask from a comparison: all bits or none).</summary>
    static abstract V Select(V mask, V a, V b);
    static abstract V Not(V a);
    static abstract bool AnyBitSet(V a);
    /// <summary>Bit i = the sign bit of lane i (of a mask: lane i true).</summary>
    static abstract uint MostSignificantBits(V a);

    /// <summary>64-bit keys per vector of the same width.</summary>
    static abstract int KeysPerVector { get; }
    /// <summary>How many of the <see cref="KeysPerVector"/> keys at p are above key (unsigned).</summary>
    static abstract int CountKeysAbove(ulong* p, ulong key);
}
