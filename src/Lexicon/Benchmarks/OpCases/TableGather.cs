using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The unigram table's rows for a batch of tokens (every 16th without a row), as the known part.</summary>
public sealed class TableGather : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.TableGather.Cost(w.Batch, 1, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D;
        var rowIndex = c.Upload(Enumerable.Range(0, rows).Select(b => b % 16 == 15 ? -1 : c.Rng.NextInt(c.W.Vocab)).ToArray());
        var table = c.Normal((long)c.W.Vocab * d);
        var output = c.Zeros((long)rows * d);
        return new(() => c.K.TableGather(rowIndex, rows, 1, table, d, output), check =>
        {
            var expected = new double[(long)rows * d];
            Kernels.Reference.TableGather.Run(rowIndex.Host, rows, 1, table.Double(), d, expected);
            check.Close(nameof(output), expected, output.Read());
        });
    }
}
