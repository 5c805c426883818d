using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>gAct and dW_enc, db_enc, dW_dec from the main selection grouped by latent, a third of it not fired (no AuxK
/// entries: no latent is dead in a benchmark step).</summary>
public sealed class SparseGrads : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.SparseGrads.Cost(w.Batch, w.K, 0, w.D, w.Latents);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, k = c.W.K, latents = c.W.Latents;
        var (index, value) = c.Selection(rows, k, latents, emptyEvery: 7);
        for (int i = 0; i < value.Host.Length; i += 3) value.Host[i] = -value.Host[i];
        value.View.CopyFromHost(value.Host);
        var (start, order) = c.Grouped(index.Host, latents);
        var wDec = c.UnitRows(latents, d);
        var grad = c.Normal((long)rows * d);
        var xc = c.Normal((long)rows * d);
        var gAct = c.Normal((long)rows * k); // stale values: the kernel must write every entry's
        var (dWEnc, dBEnc, dWDec) = (c.Zeros((long)latents * d), c.Zeros(latents), c.Zeros((long)latents * d));
        return new(() => c.K.SparseGrads(index, start, order, value, rows, k, 0, grad, default, xc, wDec, d, latents, gAct, dWEnc, dBEnc, dWDec),
            check =>
            {
                var (eGAct, eWEnc, eBEnc, eWDec) = (new double[(long)rows * k], new double[(long)latents * d], new double[latents],
                    new double[(long)latents * d]);
                Kernels.Reference.SparseGrads.Run(index.Host, value.Double(), rows, k, 0, grad.Double(), null, xc.Double(), wDec.Double(), d,
                    latents, eGAct, eWEnc, eBEnc, eWDec);
                check.Close(nameof(gAct), eGAct, gAct.Read());
                check.Close(nameof(dWEnc), eWEnc, dWEnc.Read());
                check.Close(nameof(dBEnc), eBEnc, dBEnc.Read());
                check.Close(nameof(dWDec), eWDec, dWDec.Read());
            });
    }
}
