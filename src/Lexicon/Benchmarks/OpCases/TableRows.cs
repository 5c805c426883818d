using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The rows of a hashed bigram table of V rows for a batch's keys (previous, current token), a tenth of them
/// crossing a sequence start (-1).</summary>
public sealed class TableRows : OpCase
{
    private const uint Seed = 12345;

    public override OpCost Cost(Workload w) => Kernels.Ops.TableRows.Cost(w.Batch, 2, 2);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, vocab = c.W.Vocab;
        var keys = c.Upload(Enumerable.Range(0, 2 * rows).Select(i => i % 2 == 0 && c.Rng.NextInt(10) == 0 ? -1 : c.Rng.NextInt(vocab)).ToArray());
        var output = c.IntZeros(2L * rows);
        return new(() => c.K.TableRows(keys, rows, 2, 2, vocab, vocab, Seed, output, 2, 0), check =>
        {
            var expected = new int[2 * rows];
            Kernels.Reference.TableRows.Run(keys.Host, rows, 2, 2, vocab, vocab, Seed, expected, 2, 0);
            check.Equal(nameof(output), expected, output.Read());
        });
    }
}
