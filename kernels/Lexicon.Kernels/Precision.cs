namespace Lexicon.Kernels;

/// <summary>The encoder GEMM's input precision (<c>--precision</c>): fp32, or TF32 or BF16 inputs with fp32
/// accumulation, as a GPU's tensor cores take them. Everything else in a step is fp32 whatever this says.</summary>
public enum Precision
{
    Fp32,
    Tf32,
    Bf16,
}

/// <summary>The roundings a precision applies to the GEMM's inputs, the same bits on every backend and in the
/// reference.</summary>
public static class Precisions
{
    public static string Name(Precision precision) => precision switch
    {
        Precision.Fp32 => "fp32",
        Precision.Tf32 => "tf32",
        Precision.Bf16 => "bf16",
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    public static Precision? Parse(string name) => name switch
    {
        "fp32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        "bf16" => Precision.Bf16,
        _ => null,
    };

    /// <summary>TF32's 10 stored mantissa bits, rounded to nearest with ties away from zero, as PTX's
    /// <c>cvt.rna.tf32.f32</c>: add half of the dropped part, then drop it. Infinities and NaNs pass unchanged (the add
    /// would carry a NaN's mantissa into its sign).</summary>
    public static uint Tf32Bits(uint bits) => (bits & 0x7F800000u) == 0x7F800000u ? bits : (bits + 0x1000u) & 0xFFFFE000u;

    public static float Tf32(float value) => BitConverter.UInt32BitsToSingle(Tf32Bits(BitConverter.SingleToUInt32Bits(value)));

    /// <summary>BF16's 16 bits (fp32's upper half), rounded to nearest with ties to even, as PTX's
    /// <c>cvt.rn.bf16.f32</c>; a NaN stays a (quiet) NaN.</summary>
    public static uint Bf16Bits(uint bits) =>
        (bits & 0x7FFFFFFFu) > 0x7F800000u ? (bits >> 16) | 0x40u : (bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16;

    public static float Bf16(float value) => BitConverter.UInt32BitsToSingle(Bf16Bits(BitConverter.SingleToUInt32Bits(value)) << 16);

    /// <summary>A value as the GEMM sees it at this precision.</summary>
    public static float Round(Precision precision, float value) => precision switch
    {
        Precision.Tf32 => Tf32(value),
        Precision.Bf16 => Bf16(value),
        _ => value,
    };

    /// <summary>The relative error of one input's rounding (round to nearest): 2⁻¹¹ for TF32's 10 stored mantissa bits,
    /// 2⁻⁸ for BF16's 7, 0 for fp32.</summary>
    public static double UnitRoundoff(Precision precision) => precision switch
    {
        Precision.Tf32 => Math.ScaleB(1, -11),
        Precision.Bf16 => Math.ScaleB(1, -8),
        _ => 0,
    };
}
