using Lexicon.Kernels;
using Lexicon.Tests.Gpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// Every kernel of a backend against the float64 reference, on fresh random inputs at awkward sizes (B = 1, k = 1,
/// sizes off the GEMM tile and off the lanes of every vector width), within <see cref="Compare.Fp32Tolerance"/> (selections
/// exactly).
/// </summary>
public abstract class KernelSuite(BackendFixture? shared = null) : BackendSuite(shared)
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

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void LatentGrad_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(7);
        var (index, value) = RandomSelection(r, rows, latents, k);
        for (int i = 0; i < value.Length; i += 3) value[i] = -value[i]; // values ≤ 0 pass no gradient
        var w = r.UnitRows(latents, d);
        var grad = r.Normal(rows * d);
        var gAct = New<float>(rows * k);
        K.LatentGrad(Up(index), Up(value), rows, k, Up(w), Up(grad), d, gAct);
        var expected = new double[rows * k];
        Ref.LatentGrad.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), Compare.ToDouble(grad), d, expected);
        Compare.Close(expected, Down(gAct), "gAct", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void GroupByRow_matches_reference(int rows, int d, int latents, int k)
    {
        _ = d;
        CheckGroupByRow(rows, latents, k, 8);
    }

    /// <summary>Entries ≥ 8 per latent: the CPU counts and places them by several ranges in parallel (on a multi-core machine).</summary>
    [SkippableTheory]
    [InlineData(500, 300, 32)]
    [InlineData(257, 61, 16)]
    [InlineData(1000, 100, 1)]
    public void GroupByRow_with_many_entries_per_latent_matches_reference(int rows, int latents, int k) => CheckGroupByRow(rows, latents, k, 780);

    private void CheckGroupByRow(int rows, int latents, int k, int seed)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(seed);
        var (index, _) = RandomSelection(r, rows, latents, k);
        var start = New<int>(latents + 1);
        var order = New<int>(index.Length);
        K.GroupByRow(Up(index), index.Length, latents, start, order);
        var expectedStart = new int[latents + 1];
        var expectedOrder = new int[index.Length];
        Ref.GroupByRow.Run(index, index.Length, latents, expectedStart, expectedOrder);
        Compare.Equal(expectedStart, Down(start), "start", r);
        Compare.Equal(expectedOrder[..expectedStart[latents]], Down(order), "order", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void SparseWeightGrads_match_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(9);
        int kAux = 1 + r.Next(4);
        var (mainIndex, mainValue) = RandomSelection(r, rows, latents, k);
        var (auxIndex, auxValue) = RandomSelection(r, rows, latents, kAux);
        int[] index = [.. mainIndex, .. auxIndex];
        float[] value = [.. mainValue, .. auxValue];
        var gAct = r.Normal(index.Length);
        var grad = r.Normal(rows * d);
        var auxGrad = r.Normal(rows * d);
        var xc = r.Normal(rows * d);
        var start = New<int>(latents + 1);
        var order = New<int>(index.Length);
        var indexView = Up(index);
        K.GroupByRow(indexView, index.Length, latents, start, order);
        var dWEnc = Up(r.Normal(latents * d)); // stale values must be overwritten, not accumulated into
        var dBEnc = Up(r.Normal(latents));
        var dWDec = Up(r.Normal(latents * d));
        K.SparseWeightGrads(start, order, Up(value), Up(gAct), rows, k, kAux, Up(grad), Up(auxGrad), Up(xc), d, latents, dWEnc, dBEnc, dWDec);
        var eWEnc = new double[latents * d];
        var eBEnc = new double[latents];
        var eWDec = new double[latents * d];
        Ref.SparseWeightGrads.Run(index, Compare.ToDouble(value), Compare.ToDouble(gAct), rows, k, kAux,
            Compare.ToDouble(grad), Compare.ToDouble(auxGrad), Compare.ToDouble(xc), d, latents, eWEnc, eBEnc, eWDec);
        Compare.Close(eWEnc, Down(dWEnc), "dWEnc", r);
        Compare.Close(eBEnc, Down(dBEnc), "dBEnc", r);
        Compare.Close(eWDec, Down(dWDec), "dWDec", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void DecoderBiasGrad_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = k;
        var r = new TestRandom(10);
        var grad = r.Normal(rows * d);
        var wEnc = r.Normal(latents * d);
        var dBEnc = r.Normal(latents);
        for (int m = 0; m < latents; m += 2) dBEnc[m] = 0;
        var dBDec = New<float>(d);
        K.DecoderBiasGrad(Up(grad), rows, Up(wEnc), Up(dBEnc), latents, d, dBDec);
        var expected = new double[d];
        Ref.DecoderBiasGrad.Run(Compare.ToDouble(grad), rows, Compare.ToDouble(wEnc), Compare.ToDouble(dBEnc), latents, d, expected);
        Compare.Close(expected, Down(dBDec), "dBDec", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void RemoveParallelGrad_and_NormalizeRows_match_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = (rows, k);
        var r = new TestRandom(11);
        var w = r.UnitRows(latents, d);
        var grad = r.Normal(latents * d);
        var gradView = Up(grad);
        K.RemoveParallelGrad(Up(w), gradView, latents, d);
        var expectedGrad = Compare.ToDouble(grad);
        Ref.RemoveParallelGrad.Run(Compare.ToDouble(w), expectedGrad, latents, d);
        Compare.Close(expectedGrad, Down(gradView), "grad", r);

        var raw = r.Normal(latents * d, 3);
        Array.Clear(raw, 0, d); // a zero row stays zero
        var rawView = Up(raw);
        K.NormalizeRows(rawView, latents, d);
        var expected = Compare.ToDouble(raw);
        Ref.NormalizeRows.Run(expected, latents, d);
        Compare.Close(expected, Down(rawView), "normalized", r);
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(70001)]
    public void Adam_matches_reference_over_several_steps(int n)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(12);
        var param = r.Normal(n);
        var p = Up(param);
        var m1 = New<float>(n);
        var m2 = New<float>(n);
        var ep = Compare.ToDouble(param);
        var em1 = new double[n];
        var em2 = new double[n];
        for (int step = 1; step <= 3; step++)
        {
            var grad = r.Normal(n);
            var s = AdamStep.At(step, 1e-2f);
            K.Adam(p, Up(grad), m1, m2, s);
            Ref.Adam.Run(ep, Compare.ToDouble(grad), em1, em2, s);
        }
        Compare.Close(ep, Down(p), "param", r);
        Compare.Close(em1, Down(m1), "moment1", r);
        Compare.Close(em2, Down(m2), "moment2", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void UpdateDeadLatents_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = d;
        var r = new TestRandom(13);
        var (index, value) = RandomSelection(r, rows, latents, k);
        for (int i = 0; i < value.Length; i += 4) value[i] = 0; // selected but not fired
        var since = Enumerable.Range(0, latents).Select(_ => r.Next(3) == 0 ? int.MaxValue - r.Next(5) : r.Next(100)).ToArray();
        var sinceView = Up(since);
        var dead = New<int>(latents);
        var count = New<int>(1);
        K.UpdateDeadLatents(Up(index), Up(value), rows, k, latents, sinceView, 50, dead, count);
        var expectedSince = (int[])since.Clone();
        var expectedDead = new int[latents];
        int expectedCount = Ref.UpdateDeadLatents.Run(index, Compare.ToDouble(value), rows, k, latents, expectedSince, 50, expectedDead);
        Compare.Equal(expectedSince, Down(sinceView), "sinceFired", r);
        Compare.Equal(expectedDead, Down(dead), "dead", r);
        Assert.Equal(expectedCount, Down(count)[0]);
    }

    /// <summary>Distinct latents per row (as a top-k selection gives), values uniform from <paramref name="lowest"/> (positive
    /// by default), about one slot in <paramref name="emptyOneIn"/> empty (where k &gt; 2).</summary>
    internal static (int[] Index, float[] Value) RandomSelection(TestRandom r, int rows, int latents, int k, int emptyOneIn = 7, double lowest = 0.1)
    {
        var index = new int[rows * k];
        var value = new float[rows * k];
        for (int b = 0; b < rows; b++)
        {
            var chosen = Enumerable.Range(0, latents).OrderBy(_ => r.Next(1 << 20)).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                bool empty = j >= chosen.Length || (k > 2 && r.Next(emptyOneIn) == 0);
                index[b * k + j] = empty ? -1 : chosen[j];
                value[b * k + j] = empty ? 0 : (float)(lowest + r.NextDouble());
            }
        }
        return (index, value);
    }
}
