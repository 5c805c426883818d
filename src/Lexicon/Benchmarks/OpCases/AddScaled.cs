using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>y −= x over a batch's activations, as the known part is taken off the encoder's input.</summary>
public sealed class AddScaled : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.AddScaled.Cost((long)w.Batch * w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        long n = (long)c.W.Batch * c.W.D;
        var x = c.Normal(n);
        var y = c.Normal(n);
        return new(() => c.K.AddScaled(x, -1, y, n), check =>
        {
            var expected = y.Double();
            Kernels.Reference.AddScaled.Run(x.Double(), -1, expected, n);
            check.Close(nameof(y), expected, y.Read());
        });
    }
}
