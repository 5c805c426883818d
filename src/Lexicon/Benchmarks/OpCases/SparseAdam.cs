using Lexicon.Kernels;
using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The unigram table's lazy Adam: the rows a batch of uniform tokens touched, each with its own step count.</summary>
public sealed class SparseAdam : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.SparseAdam.Cost(w.Batch, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int vocab = c.W.Vocab, d = c.W.D;
        long n = (long)vocab * d;
        var table = c.Normal(n);
        var moment1 = c.Normal(n, 1e-3);
        var moment2 = c.Uniform(n, 0, 1e-6);
        var rowSteps = c.Upload(Enumerable.Range(0, vocab).Select(_ => c.Rng.NextInt(4)).ToArray());
        var rows = Enumerable.Range(0, c.W.Batch).Select(_ => c.Rng.NextInt(vocab)).Distinct().Order().ToArray();
        var touched = c.Upload([.. rows, .. new int[c.W.Batch - rows.Length]]);
        var rowGrads = c.Normal((long)c.W.Batch * d, 1e-3);
        var touchedCount = c.Upload(new[] { rows.Length });
        var settings = new TableAdam([vocab], [1e-2f]);
        return new(() => c.K.SparseAdam(table, moment1, moment2, rowSteps, touched, rowGrads, touchedCount, d, settings), check =>
        {
            var (t, m1, m2, steps) = (table.Double(), moment1.Double(), moment2.Double(), (int[])rowSteps.Host.Clone());
            Kernels.Reference.SparseAdam.Run(t, m1, m2, steps, rows, rowGrads.Double(), d, settings);
            check.Close(nameof(table), t, table.Read());
            check.Close(nameof(moment1), m1, moment1.Read());
            check.Close(nameof(moment2), m2, moment2.Read());
            check.Equal(nameof(rowSteps), steps, rowSteps.Read());
        });
    }
}
