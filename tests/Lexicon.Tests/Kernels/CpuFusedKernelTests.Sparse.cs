using Lexicon.Kernels;
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
}
