using System.Runtime.Intrinsics.X86;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

/// <summary>The GEMM's weight packing: every width (the 8 × 8 AVX transposes at 256 and 512 bits, the scalar copy
/// below) writes exactly the [d][32] panels of the definition, zeros past the last latent, at sizes off 8 and off 32.</summary>
public sealed unsafe class CpuPackingTests
{
    public static TheoryData<SimdWidth, int, int, int> Cases()
    {
        var data = new TheoryData<SimdWidth, int, int, int>();
        foreach (var width in new[] { SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar })
            foreach (var (d, latents, first) in new[] { (1, 1, 0), (7, 31, 0), (8, 32, 0), (33, 65, 1), (130, 100, 1), (384, 96, 0) })
                data.Add(width, d, latents, first);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void PackPanels_writes_the_panels_of_the_definition(SimdWidth width, int d, int latents, int firstPanel)
    {
        using var forced = SimdIsa.Force(width);
        if (Avx.IsSupported) Assert.Equal(width is SimdWidth.V512 or SimdWidth.V256, Transpose.Vectorized);
        var r = new TestRandom(790 + d);
        var w = r.Normal(latents * d);
        var b = r.Normal(latents);
        int panels = EncoderGemm.Panels(latents), count = panels - firstPanel, tile = EncoderGemm.TileLatents;
        var packed = Enumerable.Repeat(float.NaN, Math.Max(1, count * tile * d)).ToArray(); // stale: every slot written
        var bias = Enumerable.Repeat(float.NaN, Math.Max(1, count * tile)).ToArray();
        fixed (float* pw = w, pb = b, pp = packed, pbias = bias)
            EncoderGemm.PackPanels(pw, pb, pp, pbias, firstPanel, panels, d, latents);
        for (int p = firstPanel; p < panels; p++)
            for (int c = 0; c < tile; c++)
            {
                int latent = p * tile + c;
                Assert.Equal(latent < latents ? b[latent] : 0, bias[(p - firstPanel) * tile + c]);
                for (int i = 0; i < d; i++)
                    Assert.Equal(latent < latents ? w[latent * d + i] : 0, packed[((long)(p - firstPanel) * d + i) * tile + c]);
            }
    }

    public static TheoryData<SimdWidth, int, int, int> InputCases()
    {
        var data = new TheoryData<SimdWidth, int, int, int>();
        foreach (var width in new[] { SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar })
            foreach (int tile in new[] { 4, 6, 8, 12, 14 })
                foreach (var (rows, d) in new[] { (1, 9), (7, 8), (29, 33), (61, 130) })
                    data.Add(width, tile, rows, d);
        return data;
    }

    /// <summary>Every micro-panel as defined (zeros past the last row), nothing written past the last one.</summary>
    [Theory, MemberData(nameof(InputCases))]
    public void PackInput_writes_the_micro_panels_of_the_definition(SimdWidth width, int tile, int rows, int d)
    {
        using var forced = SimdIsa.Force(width);
        var r = new TestRandom(800 + tile);
        var x = r.Normal(rows * d);
        var packed = Enumerable.Repeat(float.NaN, (int)EncoderGemm.PackedInputLength(rows, d)).ToArray();
        fixed (float* px = x, pp = packed)
            EncoderGemm.PackInput(px, pp, rows, d, tile);
        int panels = EncoderGemm.MicroPanels(rows, tile);
        for (int q = 0; q < panels; q++)
            for (int i = 0; i < d; i++)
                for (int row = 0; row < tile; row++)
                {
                    int token = q * tile + row;
                    Assert.Equal(token < rows ? x[token * d + i] : 0, packed[((long)q * d + i) * tile + row]);
                }
        Assert.All(packed.Skip(panels * tile * d), v => Assert.True(float.IsNaN(v)));
    }
}
