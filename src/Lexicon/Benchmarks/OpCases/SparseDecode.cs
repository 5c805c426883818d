using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The reconstruction from a top-k selection through unit decoder rows, with b_dec.</summary>
public sealed class SparseDecode : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.SparseDecode.Cost(w.Batch, w.K, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D, k = c.W.K;
        var (index, value) = c.Selection(rows, k, c.W.Latents, emptyEvery: 7);
        var w = c.UnitRows(c.W.Latents, d);
        var bias = c.Normal(d);
        var output = c.Zeros((long)rows * d);
        return new(() => c.K.SparseDecode(index, value, rows, k, w, bias, output, d), check =>
        {
            var expected = new double[(long)rows * d];
            Kernels.Reference.SparseDecode.Run(index.Host, value.Double(), rows, k, w.Double(), bias.Double(), expected, d);
            check.Close(nameof(output), expected, output.Read());
        });
    }
}
