using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>b_dec's gradient from the loss gradient and db_enc (half of its latents without entries: zero).</summary>
public sealed class DecoderBiasGrad : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.DecoderBiasGrad.Cost(w.Batch, w.Latents, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, latents = c.W.Latents;
        var grad = c.Normal((long)rows * d);
        var wEnc = c.Normal((long)latents * d);
        var dBEnc = c.Upload(Enumerable.Range(0, latents).Select(m => m % 2 == 0 ? 0f : (float)c.Rng.NextGaussian()).ToArray());
        var dBDec = c.Zeros(d);
        return new(() => c.K.DecoderBiasGrad(grad, rows, wEnc, dBEnc, latents, d, dBDec), check =>
        {
            var expected = new double[d];
            Kernels.Reference.DecoderBiasGrad.Run(grad.Double(), rows, wEnc.Double(), dBEnc.Double(), latents, d, expected);
            check.Close(nameof(dBDec), expected, dBDec.Read());
        });
    }
}
