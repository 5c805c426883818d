using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The unigram table's row gradients for a batch of tokens drawn from a Zipf-like law (frequent rows hit by
/// many tokens), every 16th token without a row.</summary>
public sealed class TableGrads : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.TableGrads.Cost(w.Batch, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, vocab = c.W.Vocab;
        var rowIndex = c.Upload(Enumerable.Range(0, rows).Select(b => b % 16 == 15 ? -1 : Frequent(c.Rng, vocab)).ToArray());
        var (start, order) = c.Grouped(rowIndex.Host, vocab);
        var source = c.Normal((long)rows * d);
        var (touched, rowGrads, touchedCount) = (c.IntZeros(rows), c.Zeros((long)rows * d), c.IntZeros(1));
        const float scale = -0.5f;
        return new(() => c.K.TableGrads(start, order, rowIndex, 1, vocab, source, scale, d, touched, rowGrads, touchedCount), check =>
            CheckTouched(check, Kernels.Reference.TableGrads.Run(rowIndex.Host, rows, 1, source.Double(), scale, d), touched, rowGrads, touchedCount));
    }

    /// <summary>A row id with probability about 1/(rank + 1): a few rows take much of the batch.</summary>
    internal static int Frequent(Rng rng, int rows) => (int)Math.Min(rows - 1, Math.Exp(rng.NextDouble() * Math.Log(rows)) - 1);

    /// <summary>The touched rows (ascending), their count and their gradients against the reference's.</summary>
    internal static void CheckTouched(OpCheck check, (int[] Rows, double[] Grads) expected, Operand<int> touched, Operand<float> rowGrads,
        Operand<int> touchedCount)
    {
        check.Equal(nameof(touchedCount), [expected.Rows.Length], touchedCount.Read());
        check.Equal(nameof(touched), expected.Rows, touched.Read());
        check.Close(nameof(rowGrads), expected.Grads, rowGrads.Read());
    }
}
