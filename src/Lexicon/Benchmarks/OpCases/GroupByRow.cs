using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The main selection's entries grouped by latent, as the sparse backward needs them.</summary>
public sealed class GroupByRow : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.GroupByRow.Cost(w.Batch * w.K, w.Latents);

    public override OpTrial Prepare(OpInputs c)
    {
        int count = c.W.Batch * c.W.K, rowCount = c.W.Latents;
        var (index, _) = c.Selection(c.W.Batch, c.W.K, rowCount, emptyEvery: 7);
        var start = c.IntZeros(rowCount + 1L);
        var order = c.IntZeros(count);
        return new(() => c.K.GroupByRow(index, count, rowCount, start, order), check =>
        {
            var (expectedStart, expectedOrder) = (new int[rowCount + 1L], new int[count]);
            Kernels.Reference.GroupByRow.Run(index.Host, count, rowCount, expectedStart, expectedOrder);
            check.Equal(nameof(start), expectedStart, start.Read());
            check.Equal(nameof(order), expectedOrder[..expectedStart[rowCount]], order.Read());
        });
    }
}
