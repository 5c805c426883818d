using Lexicon.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The suite's backward and update kernels: the sparse backward (LatentGrad, GroupByRow, SparseWeightGrads,
/// SparseGrads, DecoderBiasGrad), the decoder's sphere constraint, Adam and the dead-latent counters.</summary>
public abstract partial class KernelSuite
{
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
        var c = SparseBackwardCase.Random(r, rows, d, latents, k, 1 + r.Next(4), (random, n, m, kk) => RandomSelection(random, n, m, kk));
        var start = New<int>(latents + 1);
        var order = New<int>(c.Index.Length);
        K.GroupByRow(Up(c.Index), c.Index.Length, latents, start, order);
        var dWEnc = Up(r.Normal(latents * d)); // stale values must be overwritten, not accumulated into
        var dBEnc = Up(r.Normal(latents));
        var dWDec = Up(r.Normal(latents * d));
        K.SparseWeightGrads(start, order, Up(c.Value), Up(c.GAct), rows, k, c.KAux, Up(c.Grad), Up(c.AuxGrad), Up(c.Xc), d, latents, dWEnc, dBEnc, dWDec);
        c.Check(Down(dWEnc), Down(dBEnc), Down(dWDec), r);
    }

    /// <summary>gAct (a third of the values not fired, some slots empty, stale values in the buffer) and the weight
    /// gradients from one call, main and AuxK entries.</summary>
    [SkippableTheory, MemberData(nameof(Shapes))]
    public void SparseGrads_match_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(10);
        var c = SparseBackwardCase.Random(r, rows, d, latents, k, 1 + r.Next(4), (random, n, m, kk) => RandomSelection(random, n, m, kk));
        for (int i = 0; i < c.Value.Length; i += 3) c.Value[i] = -c.Value[i];
        var wDec = r.UnitRows(latents, d);
        var start = New<int>(latents + 1);
        var order = New<int>(c.Index.Length);
        K.GroupByRow(Up(c.Index), c.Index.Length, latents, start, order);
        var gAct = Up(r.Normal(c.Index.Length));
        var (dWEnc, dBEnc, dWDec) = (Up(r.Normal(latents * d)), Up(r.Normal(latents)), Up(r.Normal(latents * d)));
        K.SparseGrads(Up(c.Index), start, order, Up(c.Value), rows, k, c.KAux, Up(c.Grad), Up(c.AuxGrad), Up(c.Xc), Up(wDec), d, latents,
            gAct, dWEnc, dBEnc, dWDec);
        var expected = new double[c.Index.Length];
        var (eWEnc, eBEnc, eWDec) = (new double[latents * d], new double[latents], new double[latents * d]);
        Ref.SparseGrads.Run(c.Index, Compare.ToDouble(c.Value), rows, k, c.KAux, Compare.ToDouble(c.Grad), Compare.ToDouble(c.AuxGrad),
            Compare.ToDouble(c.Xc), Compare.ToDouble(wDec), d, latents, expected, eWEnc, eBEnc, eWDec);
        Compare.Close(expected, Down(gAct), "gAct", r);
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

    /// <summary>Two steps from warm moments (the second from the first's), a zero gradient row included: the same bits as
    /// RemoveParallelGrad, Adam and NormalizeRows one after another, and the reference's values. The moments start warm
    /// because from zero Adam's step is ≈ lr·sign(g), and the corrected gradient (g less its part along the row, in
    /// fp32 against the reference's fp64) can come out near zero with a relative error of 1e-2: a 5e-4 difference in w
    /// in about one run of twelve, Adam's conditioning rather than the kernel's.</summary>
    [SkippableTheory, MemberData(nameof(Shapes))]
    public void DecoderAdam_is_RemoveParallelGrad_Adam_NormalizeRows_bit_for_bit_and_matches_reference(int rows, int d, int latents, int k)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = (rows, k);
        var r = new TestRandom(14);
        int n = latents * d;
        var w = r.UnitRows(latents, d);
        var (m1, m2) = (r.Normal(n, 1e-3), r.Uniform(n, 1e-6, 2e-6));
        var (fused, fusedGrad, fusedM1, fusedM2) = (Up(w), New<float>(n), Up(m1), Up(m2));
        var (apart, apartGrad, apartM1, apartM2) = (Up(w), New<float>(n), Up(m1), Up(m2));
        var (ew, em1, em2) = (Compare.ToDouble(w), Compare.ToDouble(m1), Compare.ToDouble(m2));
        var eg = new double[n];
        for (int step = 1; step <= 2; step++)
        {
            var grad = r.Normal(n, 1e-2);
            Array.Clear(grad, 0, d); // a row without gradient moves by its moments, and stays unit
            var s = AdamStep.At(step, 1e-2f);
            fusedGrad.CopyFromHost(grad);
            apartGrad.CopyFromHost(grad);
            K.DecoderAdam(fused, fusedGrad, fusedM1, fusedM2, latents, d, s);
            K.RemoveParallelGrad(apart, apartGrad, latents, d);
            K.Adam(apart, apartGrad, apartM1, apartM2, s);
            K.NormalizeRows(apart, latents, d);
            eg = Compare.ToDouble(grad);
            Ref.DecoderAdam.Run(ew, eg, em1, em2, latents, d, s);
        }
        Assert.Equal(Down(apart), Down(fused));
        Assert.Equal(Down(apartGrad), Down(fusedGrad));
        Assert.Equal(Down(apartM1), Down(fusedM1));
        Assert.Equal(Down(apartM2), Down(fusedM2));
        Compare.Close(ew, Down(fused), "w", r);
        Compare.Close(eg, Down(fusedGrad), "grad", r);
        Compare.Close(em1, Down(fusedM1), "moment1", r);
        Compare.Close(em2, Down(fusedM2), "moment2", r);
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
