using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The pooled features' contributions added to the known part: k active of a pool of M rows per token.</summary>
public sealed class PoolDecode : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.PoolDecode.Cost(w.Batch, w.K, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, active = c.W.K;
        var (index, value) = c.Selection(rows, active, c.W.Latents, emptyEvery: 5);
        var pool = c.Normal((long)c.W.Latents * d, 0.5);
        var output = c.Normal((long)rows * d);
        return new(() => c.K.PoolDecode(index, value, rows, active, pool, d, output), check =>
        {
            var expected = output.Double();
            Kernels.Reference.PoolDecode.Run(index.Host, value.Double(), rows, active, pool.Double(), d, expected);
            check.Close(nameof(output), expected, output.Read());
        });
    }
}
