using Lexicon.Kernels;

namespace Lexicon.Tests.Kernels;

/// <summary>TF32 rounding as PTX's <c>cvt.rna.tf32.f32</c>: 10 mantissa bits, nearest, ties away from zero.</summary>
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

    [Fact]
    public void Tf32_is_within_its_unit_roundoff_of_random_values()
    {
        var r = new TestRandom(40);
        foreach (float v in r.Normal(10_000, 100))
        {
            double error = Math.Abs(Precisions.Tf32(v) - (double)v);
            Assert.True(error <= Precisions.UnitRoundoff(Precision.Tf32) * Math.Abs(v), $"{v:R} → {Precisions.Tf32(v):R} {r.Replay}");
            Assert.Equal(0u, BitConverter.SingleToUInt32Bits(Precisions.Tf32(v)) & 0x1FFFu);
        }
    }

    [Fact]
    public void Names_parse_back()
    {
        foreach (var p in Enum.GetValues<Precision>()) Assert.Equal(p, Precisions.Parse(Precisions.Name(p)));
        Assert.Null(Precisions.Parse("fp16"));
    }
}
