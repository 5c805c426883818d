using Lexicon.Kernels;
using Lexicon.Tests.Gpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// Every kernel of a backend against the float64 reference, on fresh random inputs at awkward sizes (B = 1, k = 1,
/// sizes off the GEMM tile and off the lanes of every vector width), within <see cref="Compare.Fp32Tolerance"/> (selections
/// exactly).
/// </summary>
public abstract partial class KernelSuite(BackendFixture? shared = null) : BackendSuite(shared)
{
    /// <summary>rows, d, latents, k.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1 },
        { 1, 16, 32, 1 },
        { 5, 7, 33, 3 },
        { 7, 65, 97, 1 },
        { 13, 100, 70, 32 },
        { 37, 48, 200, 8 },
        { 61, 130, 1100, 5 },
    };

    protected static T[] Down<T>(View<T> view) where T : unmanaged => view.ToArray();

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void Center_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = (latents, k);
        var r = new TestRandom(1);
        var x = r.Normal(rows * d);
        var bDec = r.Normal(d);
        var xc = New<float>(rows * d);
        K.Center(Up(x), Up(bDec), xc, rows, d);
        var expected = new double[rows * d];
        Ref.Center.Run(Compare.ToDouble(x), Compare.ToDouble(bDec), expected, rows, d);
        Compare.Close(expected, Down(xc), "xc", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void EncoderGemm_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = k;
        var r = new TestRandom(2);
        var xc = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d, 1 / Math.Sqrt(d));
        var bEnc = r.Normal(latents, 0.1);
        var pre = New<float>((long)rows * latents);
        K.EncoderGemm(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents);
        var expected = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expected, rows, d, latents);
        Compare.Close(expected, Down(pre), "pre", r);
    }

    [SkippableFact]
    public void EncoderGemm_can_be_called_again_with_other_shapes()
    {
        Skip.If(SkipReason is not null, SkipReason);
        // The backend keeps packing buffers between calls; a smaller call after a larger one must not reuse stale data.
        EncoderGemm_matches_reference(61, 130, 1100, 5);
        EncoderGemm_matches_reference(5, 7, 33, 3);
        EncoderGemm_matches_reference(13, 100, 70, 32);
    }

    /// <summary>More than one tile in each direction on every backend (the GPU GEMM's tiles are 128 × 128, its slices of
    /// the model dimension 8), with ragged edges in all three.</summary>
    [SkippableTheory]
    [InlineData(130, 37, 259)]
    [InlineData(257, 9, 129)]
    [InlineData(1, 300, 1)]
    public void EncoderGemm_matches_reference_across_tiles(int rows, int d, int latents) =>
        EncoderGemm_matches_reference(rows, d, latents, 1);

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void TopK_matches_reference_including_ties(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = d;
        var r = new TestRandom(3);
        // ReLU'd values: about half are exact zeros, and some positive values are repeated, so ties must break the same way.
        var pre = r.Normal(rows * latents);
        for (int i = 0; i < pre.Length; i++)
        {
            pre[i] = Math.Max(pre[i], 0);
            if (i > 0 && r.Next(5) == 0) pre[i] = pre[r.Next(i)];
        }
        var index = New<int>(rows * k);
        var value = New<float>(rows * k);
        K.TopK(Up(pre), rows, latents, k, index, value);
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.TopK.Run(Compare.ToDouble(pre), rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, Down(index), "index", r);
        Compare.Close(expectedValue, Down(value), "value", r, 0);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void EncodeTopK_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(14);
        var xc = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d, 1 / Math.Sqrt(d));
        var bEnc = r.Normal(latents, 0.1);
        var pre = New<float>((long)rows * latents);
        var index = New<int>(rows * k);
        var value = New<float>(rows * k);
        K.EncodeTopK(Up(xc), Up(wEnc), Up(bEnc), pre, rows, d, latents, k, index, value);
        var expectedPre = new double[rows * latents];
        Ref.EncoderGemm.Run(Compare.ToDouble(xc), Compare.ToDouble(wEnc), Compare.ToDouble(bEnc), expectedPre, rows, d, latents);
        Compare.Close(expectedPre, Down(pre), "pre", r);
        // The selection is exactly the top-k of the fp32 pre it came from (a near tie may order otherwise in float64).
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.TopK.Run(Compare.ToDouble(Down(pre)), rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, Down(index), "index", r);
        Compare.Close(expectedValue, Down(value), "value", r, 0);
    }

    [SkippableTheory]
    [InlineData(1, 40, 1, 0)]
    [InlineData(3, 40, 4, 2)]
    [InlineData(9, 100, 8, 30)]
    [InlineData(4, 33, 16, 33)]
    public void MaskedTopK_matches_reference_and_pads_short_rows(int rows, int latents, int k, int deadCount)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(4);
        var pre = r.Normal(rows * latents).Select(v => Math.Max(v, 0)).ToArray();
        var mask = new int[latents];
        foreach (int m in Enumerable.Range(0, latents).OrderBy(_ => r.Next(1000)).Take(deadCount)) mask[m] = 1;
        var index = New<int>(rows * k);
        var value = New<float>(rows * k);
        K.MaskedTopK(Up(pre), Up(mask), rows, latents, k, index, value);
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.MaskedTopK.Run(Compare.ToDouble(pre), mask, rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, Down(index), "index", r);
        Compare.Close(expectedValue, Down(value), "value", r, 0);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void ActivationFloor_zeroes_exactly_the_values_below_the_floor(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = (d, latents);
        var r = new TestRandom(7);
        var (_, value) = RandomSelection(r, rows, latents, k);
        // Values exactly at the floor are kept; a NaN is not at least the floor.
        value[0] = 0.5f;
        if (value.Length > 1) value[^1] = float.NaN;
        var view = Up(value);
        K.ActivationFloor(view, value.Length, 0.5f);
        var expected = Compare.ToDouble(value);
        Ref.ActivationFloor.Run(expected, expected.Length, 0.5);
        var got = Down(view);
        for (int i = 0; i < got.Length; i++) Assert.True(expected[i] == got[i], $"value[{i}]: {got[i]}, expected {expected[i]} {r.Replay}");
        Assert.Equal(0.5f, got[0]);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void SparseDecode_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(5);
        var (index, value) = RandomSelection(r, rows, latents, k);
        var w = r.UnitRows(latents, d);
        var bias = r.Normal(d);
        foreach (bool withBias in new[] { true, false })
        {
            var output = New<float>(rows * d);
            K.SparseDecode(Up(index), Up(value), rows, k, Up(w), withBias ? Up(bias) : default, output, d);
            var expected = new double[rows * d];
            Ref.SparseDecode.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), withBias ? Compare.ToDouble(bias) : null, expected, d);
            Compare.Close(expected, Down(output), withBias ? "output with bias" : "output", r);
        }
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void Residual_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = (latents, k);
        var r = new TestRandom(6);
        var predicted = r.Normal(rows * d);
        var target = r.Normal(rows * d);
        var residual = New<float>(rows * d);
        var grad = New<float>(rows * d);
        var rowError = New<float>(rows);
        var rowTarget = New<float>(rows);
        K.Residual(Up(predicted), Up(target), rows, d, 0.37f, residual, grad, rowError, rowTarget);
        var e = new double[rows * d];
        var g = new double[rows * d];
        var re = new double[rows];
        var rt = new double[rows];
        Ref.Residual.Run(Compare.ToDouble(predicted), Compare.ToDouble(target), rows, d, 0.37f, e, g, re, rt);
        Compare.Close(e, Down(residual), "residual", r);
        Compare.Close(g, Down(grad), "grad", r);
        Compare.Close(re, Down(rowError), "rowError", r);
        Compare.Close(rt, Down(rowTarget), "rowTarget", r);
    }
}
