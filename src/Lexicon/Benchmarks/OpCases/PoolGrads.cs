using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The pool's row gradients: k active features per token out of M rows, grouped by row.</summary>
public sealed class PoolGrads : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.PoolGrads.Cost((long)w.Batch * w.K, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, active = c.W.K, poolRows = c.W.Latents;
        var (index, value) = c.Selection(rows, active, poolRows, emptyEvery: 5);
        var (start, order) = c.Grouped(index.Host, poolRows);
        var grad = c.Normal((long)rows * d);
        long maxRows = Math.Min((long)rows * active, poolRows);
        var (touched, rowGrads, touchedCount) = (c.IntZeros(maxRows), c.Zeros(maxRows * d), c.IntZeros(1));
        const float scale = -0.5f;
        return new(() => c.K.PoolGrads(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount), check =>
            TableGrads.CheckTouched(check, Kernels.Reference.PoolGrads.Run(index.Host, value.Double(), rows, active, grad.Double(), scale, d),
                touched, rowGrads, touchedCount));
    }
}
