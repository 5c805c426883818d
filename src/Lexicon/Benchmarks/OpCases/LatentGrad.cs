using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The gradient reaching each selected pre-activation, a third of the selection not fired (value ≤ 0).</summary>
public sealed class LatentGrad : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.LatentGrad.Cost(w.Batch, w.K, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, k = c.W.K;
        var (index, value) = c.Selection(rows, k, c.W.Latents, emptyEvery: 7);
        for (int i = 0; i < value.Host.Length; i += 3) value.Host[i] = -value.Host[i];
        value.View.CopyFromHost(value.Host);
        var w = c.UnitRows(c.W.Latents, d);
        var grad = c.Normal((long)rows * d);
        var gAct = c.Zeros((long)rows * k);
        return new(() => c.K.LatentGrad(index, value, rows, k, w, grad, d, gAct), check =>
        {
            var expected = new double[(long)rows * k];
            Kernels.Reference.LatentGrad.Run(index.Host, value.Double(), rows, k, w.Double(), grad.Double(), d, expected);
            check.Close(nameof(gAct), expected, gAct.Read());
        });
    }
}
