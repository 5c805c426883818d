using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The CPU's sparse kernels at sizes where their four-rows-per-pass, prefetching and balanced-split paths run.</summary>
public sealed partial class CpuFusedKernelTests
{
    /// <summary>rows, d, latents, k: enough entries per latent and per token for the four-row passes, the prefetch
    /// distance and several balanced chunks.</summary>
    public static TheoryData<int, int, int, int> SparseShapes => new()
    {
        { 1, 33, 40, 1 },
        { 1, 384, 100, 32 },
        { 97, 17, 60, 7 },
        { 211, 200, 300, 32 },
        { 130, 48, 50, 13 },
    };

    // Values from -0.2 up (some not positive: the backward skips those entries), one slot in five empty.
    private static (int[] Index, float[] Value) Selection(TestRandom r, int rows, int latents, int k) =>
        KernelSuite.RandomSelection(r, rows, latents, k, emptyOneIn: 5, lowest: -0.2);

    [Theory, MemberData(nameof(SparseShapes))]
    public void SparseDecode_and_LatentGrad_match_reference(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(760);
        var (index, value) = Selection(r, rows, latents, k);
        var w = r.UnitRows(latents, d);
        var bias = r.Normal(d);
        var output = New<float>(rows * d);
        _k.SparseDecode(Up(index), Up(value), rows, k, Up(w), Up(bias), output, d);
        var expected = new double[rows * d];
        Ref.SparseDecode.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), Compare.ToDouble(bias), expected, d);
        Compare.Close(expected, output.ToArray(), "output", r);

        var grad = r.Normal(rows * d);
        var gAct = Up(r.Normal(rows * k)); // stale values must be overwritten
        _k.LatentGrad(Up(index), Up(value), rows, k, Up(w), Up(grad), d, gAct);
        var expectedGAct = new double[rows * k];
        Ref.LatentGrad.Run(index, Compare.ToDouble(value), rows, k, Compare.ToDouble(w), Compare.ToDouble(grad), d, expectedGAct);
        Compare.Close(expectedGAct, gAct.ToArray(), "gAct", r);
    }

    [Theory, MemberData(nameof(SparseShapes))]
    public void SparseWeightGrads_and_DecoderBiasGrad_match_reference_and_repeat_bit_for_bit(int rows, int d, int latents, int k)
    {
        var r = new TestRandom(770);
        var c = SparseBackwardCase.Random(r, rows, d, latents, k, 1 + r.Next(5), Selection, hotLatent: true);
        var start = New<int>(latents + 1);
        var order = New<int>(c.Index.Length);
        _k.GroupByRow(Up(c.Index), c.Index.Length, latents, start, order);
        var wEnc = r.Normal(latents * d);
        float[]? firstWEnc = null, firstWDec = null, firstBDec = null;
        for (int run = 0; run < 2; run++)
        {
            // Stale values (different each run) must be overwritten, not accumulated into.
            var dWEnc = Up(r.Normal(latents * d));
            var dBEnc = Up(r.Normal(latents));
            var dWDec = Up(r.Normal(latents * d));
            var dBDec = Up(r.Normal(d));
            _k.SparseWeightGrads(start, order, Up(c.Value), Up(c.GAct), rows, k, c.KAux, Up(c.Grad), Up(c.AuxGrad), Up(c.Xc), d, latents,
                dWEnc, dBEnc, dWDec);
            _k.DecoderBiasGrad(Up(c.Grad), rows, Up(wEnc), dBEnc, latents, d, dBDec);
            if (run == 0)
            {
                c.Check(dWEnc.ToArray(), dBEnc.ToArray(), dWDec.ToArray(), r);
                var eBDec = new double[d];
                Ref.DecoderBiasGrad.Run(Compare.ToDouble(c.Grad), rows, Compare.ToDouble(wEnc), Compare.ToDouble(dBEnc.ToArray()), latents, d, eBDec);
                Compare.Close(eBDec, dBDec.ToArray(), "dBDec", r);
                (firstWEnc, firstWDec, firstBDec) = (dWEnc.ToArray(), dWDec.ToArray(), dBDec.ToArray());
            }
            else
            {
                Assert.Equal(firstWEnc, dWEnc.ToArray());
                Assert.Equal(firstWDec, dWDec.ToArray());
                Assert.Equal(firstBDec, dBDec.ToArray());
            }
        }
    }

    public static TheoryData<SimdWidth, int, int, int, int> FusedGradShapes()
    {
        var data = new TheoryData<SimdWidth, int, int, int, int>();
        foreach (var width in new[] { SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar })
            foreach (var (rows, d, latents, k) in new[] { (1, 384, 100, 32), (211, 200, 300, 32), (130, 48, 50, 13) })
                data.Add(width, rows, d, latents, k);
        return data;
    }

    /// <summary>SparseGrads is LatentGrad (main, then AuxK) and SparseWeightGrads bit for bit — gAct and the three
    /// gradients — at every width, with a hot latent and stale outputs.</summary>
    [Theory, MemberData(nameof(FusedGradShapes))]
    public void SparseGrads_is_LatentGrad_then_SparseWeightGrads_bit_for_bit(SimdWidth width, int rows, int d, int latents, int k)
    {
        using var forced = SimdIsa.Force(width);
        var r = new TestRandom(780);
        var c = SparseBackwardCase.Random(r, rows, d, latents, k, 1 + r.Next(5), Selection, hotLatent: true);
        var wDec = Up(r.UnitRows(latents, d));
        var start = New<int>(latents + 1);
        var order = New<int>(c.Index.Length);
        _k.GroupByRow(Up(c.Index), c.Index.Length, latents, start, order);
        int main = rows * k, aux = rows * c.KAux;
        var (index, value) = (Up(c.Index), Up(c.Value));
        var gAct = Up(r.Normal(c.Index.Length));
        var (dWEnc, dBEnc, dWDec) = (New<float>(latents * d), New<float>(latents), New<float>(latents * d));
        _k.LatentGrad(index.Slice(0, main), value.Slice(0, main), rows, k, wDec, Up(c.Grad), d, gAct.Slice(0, main));
        _k.LatentGrad(index.Slice(main, aux), value.Slice(main, aux), rows, c.KAux, wDec, Up(c.AuxGrad), d, gAct.Slice(main, aux));
        _k.SparseWeightGrads(start, order, value, gAct, rows, k, c.KAux, Up(c.Grad), Up(c.AuxGrad), Up(c.Xc), d, latents, dWEnc, dBEnc, dWDec);

        var fusedGAct = Up(r.Normal(c.Index.Length)); // stale values: every entry's must be written
        var (fWEnc, fBEnc, fWDec) = (Up(r.Normal(latents * d)), Up(r.Normal(latents)), Up(r.Normal(latents * d)));
        _k.SparseGrads(index, start, order, value, rows, k, c.KAux, Up(c.Grad), Up(c.AuxGrad), Up(c.Xc), wDec, d, latents,
            fusedGAct, fWEnc, fBEnc, fWDec);
        Assert.Equal(gAct.ToArray(), fusedGAct.ToArray());
        Assert.Equal(dWEnc.ToArray(), fWEnc.ToArray());
        Assert.Equal(dBEnc.ToArray(), fBEnc.ToArray());
        Assert.Equal(dWDec.ToArray(), fWDec.ToArray());
    }
}
