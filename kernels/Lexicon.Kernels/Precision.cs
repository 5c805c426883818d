namespace Lexicon.Kernels;

/// <summary>The encoder GEMM's input precision (<c>--precision</c>): fp32, or TF32 inputs with fp32 accumulation, as
/// a GPU's tensor cores take them. Everything else in a step is fp32 whatever this says.</summary>
public enum Precision
{
    Fp32,
    Tf32,
}

/// <summary>The roundings a precision applies to the GEMM's inputs, the same bits on every backend and in the
/// reference.</summary>
public static class Precisions
{
    public static string Name(Precision precision) => precision switch
    {
        Precision.Fp32 => "fp32",
        Precision.Tf32 => "tf32",
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    public static Precision? Parse(string name) => name switch
    {
        "fp32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        _ => null,
    };

    /// <summary>TF32's 10 stored mantissa bits, rounded to nearest with ties away from zero, as PTX's
    /// <c>cvt.rna.tf32.f32</c>: add half of the dropped part, then drop it. Infinities and NaNs pass unchanged (the add
    /// would carry a NaN's mantissa into its sign).</summary>
    public static uint Tf32Bits(uint bits) => (bits & 0x7F800000u) == 0x7F800000u ? bits : (bits + 0x1000u) & 0xFFFFE000u;

    public static float Tf32(float value) => BitConverter.UInt32BitsToSingle(Tf32Bits(BitConverter.SingleToUInt32Bits(value)));

    /// <summary>A value as the GEMM sees it at this precision.</summary>
    public static float Round(Precision precision, float value) => precision == Precision.Tf32 ? Tf32(value) : value;

    /// <summary>The relative error of one input's rounding: 2⁻¹¹ for TF32 (round to nearest at 10 bits), 0 for fp32.</summary>
    public static double UnitRoundoff(Precision precision) => precision == Precision.Tf32 ? Math.ScaleB(1, -11) : 0;
}
