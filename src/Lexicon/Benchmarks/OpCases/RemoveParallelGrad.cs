using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The decoder gradient's component along each unit decoder row taken off, in place.</summary>
public sealed class RemoveParallelGrad : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.RemoveParallelGrad.Cost(w.Latents, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rowCount = c.W.Latents, d = c.W.D;
        var w = c.UnitRows(rowCount, d);
        var grad = c.Normal((long)rowCount * d);
        return new(() => c.K.RemoveParallelGrad(w, grad, rowCount, d), check =>
        {
            var expected = grad.Double();
            Kernels.Reference.RemoveParallelGrad.Run(w.Double(), expected, rowCount, d);
            check.Close(nameof(grad), expected, grad.Read());
        });
    }
}
