using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

// The vector widths of ISimd: each member one call of the BCL's own vector type, nothing more.

/// <summary>512-bit vectors (AVX-512).</summary>
public readonly unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Create(float a) => Vector512.Create(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => Vector512.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreStreaming(Vector512<float> v, float* p) => Vector512.StoreAlignedNonTemporal(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector512<float> a) => Vector512.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMax(Vector512<float> a) => Simd256.HorizontalMax(Vector256.MaxNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMin(Vector512<float> a) => Simd256.HorizontalMin(Vector256.MinNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThanOrEqual(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Equals(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Or(Vector512<float> a, Vector512<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Not(Vector512<float> a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector512<float> a) => a != Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MostSignificantBits(Vector512<float> a) => (uint)a.ExtractMostSignificantBits();
    public static int KeysPerVector => Vector512<ulong>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountKeysAbove(ulong* p, ulong key) =>
        BitOperations.PopCount((uint)Vector512.GreaterThan(Vector512.Load(p), Vector512.Create(key)).ExtractMostSignificantBits());
}

/// <summary>256-bit vectors (AVX2 + FMA).</summary>
public readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Create(float a) => Vector256.Create(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => Vector256.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreStreaming(Vector256<float> v, float* p) => Vector256.StoreAlignedNonTemporal(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> a) => Vector256.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMax(Vector256<float> a) => Simd128.HorizontalMax(Vector128.MaxNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMin(Vector256<float> a) => Simd128.HorizontalMin(Vector128.MinNative(a.GetLower(), a.GetUpper()));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Equals(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Not(Vector256<float> a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector256<float> a) => a != Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MostSignificantBits(Vector256<float> a) => (uint)a.ExtractMostSignificantBits();
    public static int KeysPerVector => Vector256<ulong>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountKeysAbove(ulong* p, ulong key) =>
        BitOperations.PopCount((uint)Vector256.GreaterThan(Vector256.Load(p), Vector256.Create(key)).ExtractMostSignificantBits());
}

/// <summary>128-bit vectors (SSE, ARM64 NEON).</summary>
public readonly unsafe struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Create(float a) => Vector128.Create(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, float* p) => Vector128.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreStreaming(Vector128<float> v, float* p) => Vector128.StoreAlignedNonTemporal(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sqrt(Vector128<float> a) => Vector128.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> a) => Vector128.Sum(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMax(Vector128<float> a) => Simd128Lanes.Max(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMin(Vector128<float> a) => Simd128Lanes.Min(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Equals(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Not(Vector128<float> a) => ~a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(Vector128<float> a) => a != Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MostSignificantBits(Vector128<float> a) => (uint)a.ExtractMostSignificantBits();
    public static int KeysPerVector => Vector128<ulong>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountKeysAbove(ulong* p, ulong key) =>
        BitOperations.PopCount((uint)Vector128.GreaterThan(Vector128.Load(p), Vector128.Create(key)).ExtractMostSignificantBits());
}

internal static class Simd128Lanes
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(Vector128<float> q)
    {
        q = Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MaxNative(q, Vector128.Shuffle(q, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(Vector128<float> q)
    {
        q = Vector128.MinNative(q, Vector128.Shuffle(q, Vector128.Create(2, 3, 0, 1)));
        return Vector128.MinNative(q, Vector128.Shuffle(q, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }
}
