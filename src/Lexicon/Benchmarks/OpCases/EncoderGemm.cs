using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The encoder GEMM on a batch about half of whose pre-activations come out positive, as in training; checked
/// on a sample of rows (the float64 reference costs d·M a row).</summary>
public sealed class EncoderGemm : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.EncoderGemm.Cost(w.Batch, w.D, w.Latents);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, latents = c.W.Latents;
        var (xc, wEnc, bEnc) = Inputs(c);
        var pre = c.Zeros((long)rows * latents);
        return new(() => c.K.EncoderGemm(xc, wEnc, bEnc, pre, rows, d, latents), check => CheckPre(check, c.W, xc, wEnc, bEnc, pre.Read(), c.K.Precision));
    }

    /// <summary>Unit-variance tokens, W_enc rows of norm about 1, a small bias.</summary>
    internal static (Operand<float> Xc, Operand<float> WEnc, Operand<float> BEnc) Inputs(OpInputs c) =>
        (c.Normal((long)c.W.Batch * c.W.D), c.Normal((long)c.W.Latents * c.W.D, 1 / Math.Sqrt(c.W.D)), c.Normal(c.W.Latents, 0.1));

    /// <summary>pre against the reference GEMM on the sampled rows, at the backend's precision (TF32's rounding of the
    /// inputs, then exact sums: the fp32 tolerance holds).</summary>
    internal static void CheckPre(OpCheck check, Workload w, Operand<float> xc, Operand<float> wEnc, Operand<float> bEnc, float[] pre,
        Kernels.Precision precision)
    {
        var sample = OpCheck.SampleRows(w.Batch, (double)w.D * w.Latents);
        var expected = new double[(long)sample.Length * w.Latents];
        Kernels.Reference.EncoderGemm.Run(OpCheck.Rows(xc.Double(), sample, w.D), wEnc.Double(), bEnc.Double(), expected, sample.Length, w.D, w.Latents, precision);
        check.Close($"pre ({sample.Length} of {w.Batch} rows)", expected, OpCheck.Rows(pre, sample, w.Latents));
    }
}
