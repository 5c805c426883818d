using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The batch centred on b_dec.</summary>
public sealed class Center : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.Center.Cost(w.Batch, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D;
        var x = c.Normal((long)rows * d);
        var bDec = c.Normal(d);
        var xc = c.Zeros((long)rows * d);
        return new(() => c.K.Center(x, bDec, xc, rows, d), check =>
        {
            var expected = new double[(long)rows * d];
            Kernels.Reference.Center.Run(x.Double(), bDec.Double(), expected, rows, d);
            check.Close(nameof(xc), expected, xc.Read());
        });
    }
}
