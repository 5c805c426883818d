using Lexicon.Kernels;
using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The decoder's update (parallel gradient removed, Adam at step 10, rows renormalised) on unit rows.</summary>
public sealed class DecoderAdam : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.DecoderAdam.Cost(w.Latents, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rowCount = c.W.Latents, d = c.W.D;
        long n = (long)rowCount * d;
        var w = c.UnitRows(rowCount, d);
        var grad = c.Normal(n, 1e-3);
        var moment1 = c.Normal(n, 1e-3);
        var moment2 = c.Uniform(n, 0, 1e-6);
        var step = AdamStep.At(10, 1e-4f);
        return new(() => c.K.DecoderAdam(w, grad, moment1, moment2, rowCount, d, step), check =>
        {
            var (ew, eg, m1, m2) = (w.Double(), grad.Double(), moment1.Double(), moment2.Double());
            Kernels.Reference.DecoderAdam.Run(ew, eg, m1, m2, rowCount, d, step);
            check.Close(nameof(w), ew, w.Read());
            check.Close(nameof(grad), eg, grad.Read());
            check.Close(nameof(moment1), m1, moment1.Read());
            check.Close(nameof(moment2), m2, moment2.Read());
        });
    }
}
