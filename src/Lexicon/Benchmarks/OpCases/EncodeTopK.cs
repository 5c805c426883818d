using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The encoder GEMM with its top-k, as training calls it: pre against the reference GEMM and the selection
/// exactly the reference top-k of that pre (a near tie in fp32 may order otherwise in float64), on sampled rows.</summary>
public sealed class EncodeTopK : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.EncodeTopK.Cost(w.Batch, w.D, w.Latents, w.K);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, latents = c.W.Latents, k = c.W.K;
        var (xc, wEnc, bEnc) = EncoderGemm.Inputs(c);
        var pre = c.Zeros((long)rows * latents);
        var index = c.IntZeros((long)rows * k);
        var value = c.Zeros((long)rows * k);
        return new(() => c.K.EncodeTopK(xc, wEnc, bEnc, pre, rows, d, latents, k, index, value), check =>
        {
            var computed = pre.Read();
            EncoderGemm.CheckPre(check, c.W, xc, wEnc, bEnc, computed, c.K.Precision);
            TopK.CheckSelection(check, rows, latents, k, computed, null, index, value);
        });
    }
}
