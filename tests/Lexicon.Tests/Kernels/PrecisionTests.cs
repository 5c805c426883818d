using Lexicon.Kernels;

namespace Lexicon.Tests.Kernels;

/// <summary>TF32 rounding as PTX's <c>cvt.rna.tf32.f32</c> (10 mantissa bits, nearest, ties away from zero) and BF16's
/// as <c>cvt.rn.bf16.f32</c> (7 bits, nearest, ties to even).</summary>
public sealed class PrecisionTests
{
    [Theory]
    [InlineData(0x3F800000u, 0x3F800000u)] // 1: already TF32
    [InlineData(0x3F800FFFu, 0x3F800000u)] // below half of the last place: down
    [InlineData(0x3F801000u, 0x3F802000u)] // exactly half: away from zero
    [InlineData(0xBF801000u, 0xBF802000u)] // negative half: away from zero too
    [InlineData(0x3FFFF000u, 0x40000000u)] // rounding carries into the exponent
    [InlineData(0x7F7FF000u, 0x7F800000u)] // past the largest TF32: infinity
    [InlineData(0x7F800000u, 0x7F800000u)] // infinity unchanged
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu)] // a NaN stays that NaN (the add would carry into its sign)
    [InlineData(0x00000FFFu, 0x00000000u)] // subnormals round like the rest
    public void Tf32_rounds_to_nearest_with_ties_away(uint bits, uint expected) =>
        Assert.Equal(expected, Precisions.Tf32Bits(bits));

    [Theory]
    [InlineData(0x3F800000u, 0x3F80u)] // 1
    [InlineData(0x3F807FFFu, 0x3F80u)] // below half: down
    [InlineData(0x3F808000u, 0x3F80u)] // half, even below: down
    [InlineData(0x3F818000u, 0x3F82u)] // half, odd below: up to even
    [InlineData(0xBF818000u, 0xBF82u)] // negative likewise
    [InlineData(0x3FFF8000u, 0x4000u)] // carries into the exponent
    [InlineData(0x7F7FFFFFu, 0x7F80u)] // the largest float: infinity
    [InlineData(0xFF800000u, 0xFF80u)] // minus infinity unchanged
    [InlineData(0x7F800001u, 0x7FC0u)] // a signalling NaN: a quiet NaN, not infinity
    public void Bf16_rounds_to_nearest_with_ties_to_even(uint bits, uint expected) =>
        Assert.Equal(expected, Precisions.Bf16Bits(bits));

    [Theory]
    [InlineData(Precision.Tf32, 0x1FFFu)]
    [InlineData(Precision.Bf16, 0xFFFFu)]
    public void Rounding_is_within_its_unit_roundoff_of_random_values(Precision precision, uint dropped)
    {
        var r = new TestRandom(40);
        foreach (float v in r.Normal(10_000, 100))
        {
            float rounded = Precisions.Round(precision, v);
            double error = Math.Abs(rounded - (double)v);
            Assert.True(error <= Precisions.UnitRoundoff(precision) * Math.Abs(v), $"{v:R} → {rounded:R} {r.Replay}");
            Assert.Equal(0u, BitConverter.SingleToUInt32Bits(rounded) & dropped);
        }
    }

    [Fact]
    public void Names_parse_back()
    {
        foreach (var p in Enum.GetValues<Precision>()) Assert.Equal(p, Precisions.Parse(Precisions.Name(p)));
        Assert.Null(Precisions.Parse("fp16"));
    }
}
