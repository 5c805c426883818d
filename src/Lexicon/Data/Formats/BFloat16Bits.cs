namespace Lexicon.Data.Formats;

/// <summary>bfloat16 is the upper half of a float32's bits; .NET has no type for it here.</summary>
internal static class BFloat16Bits
{
    public static void ToSingle(ReadOnlySpan<ushort> bits, Span<float> destination)
    {
        for (int i = 0; i < bits.Length; i++)
            destination[i] = BitConverter.UInt32BitsToSingle((uint)bits[i] << 16);
    }

    /// <summary>Rounds to nearest, ties to even; NaNs stay NaN (quiet) rather than rounding into infinity.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)((bits >> 16) | 0x0040);
        uint roundingBias = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
