using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>dW_enc, db_enc and dW_dec from the main selection grouped by latent (no AuxK entries: no latent is dead in
/// a benchmark step).</summary>
public sealed class SparseWeightGrads : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.SparseWeightGrads.Cost(w.Batch, w.K, 0, w.D, w.Latents);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, k = c.W.K, latents = c.W.Latents;
        var (index, value) = c.Selection(rows, k, latents, emptyEvery: 7);
        var (start, order) = c.Grouped(index.Host, latents);
        var gAct = c.Normal((long)rows * k);
        var grad = c.Normal((long)rows * d);
        var xc = c.Normal((long)rows * d);
        var (dWEnc, dBEnc, dWDec) = (c.Zeros((long)latents * d), c.Zeros(latents), c.Zeros((long)latents * d));
        return new(() => c.K.SparseWeightGrads(start, order, value, gAct, rows, k, 0, grad, default, xc, d, latents, dWEnc, dBEnc, dWDec), check =>
        {
            var (eWEnc, eBEnc, eWDec) = (new double[(long)latents * d], new double[latents], new double[(long)latents * d]);
            Kernels.Reference.SparseWeightGrads.Run(index.Host, value.Double(), gAct.Double(), rows, k, 0, grad.Double(), null, xc.Double(), d, latents,
                eWEnc, eBEnc, eWDec);
            check.Close(nameof(dWEnc), eWEnc, dWEnc.Read());
            check.Close(nameof(dBEnc), eBEnc, dBEnc.Read());
            check.Close(nameof(dWDec), eWDec, dWDec.Read());
        });
    }
}
