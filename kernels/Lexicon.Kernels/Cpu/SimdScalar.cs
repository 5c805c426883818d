using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>One lane, plain float arithmetic: the path of a machine without vector hardware, and the width the tests
/// force to check the kernels' loop structure without any SIMD. Masks are floats with all bits set or clear.</summary>
public readonly unsafe struct SimdScalar : ISimd<float>
{
    private static readonly float True = BitConverter.Int32BitsToSingle(-1);

    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Create(float a) => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, float* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreStreaming(float v, float* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Divide(float a, float b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sqrt(float a) => MathF.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MaxNative(float a, float b) => a > b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MinNative(float a, float b) => a < b ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float a) => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMax(float a) => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float HorizontalMin(float a) => a;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThanOrEqual(float a, float b) => a >= b ? True : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Equals(float a, float b) => a == b ? True : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Or(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Select(float mask, float a, float b) => BitConverter.SingleToInt32Bits(mask) != 0 ? a : b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Not(float a) => BitConverter.Int32BitsToSingle(~BitConverter.SingleToInt32Bits(a));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyBitSet(float a) => BitConverter.SingleToInt32Bits(a) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint MostSignificantBits(float a) => BitConverter.SingleToUInt32Bits(a) >> 31;
    public static int KeysPerVector => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static int CountKeysAbove(ulong* p, ulong key) => *p > key ? 1 : 0;
}
